package org.fedmed.ml.survival;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TCGA-BRCA as FLamby's {@code FedTcgaBrca} reads it ({@code flamby/datasets/fed_tcga_brca/dataset.py}), from
 * {@code $FEDMED_DATA/tcga-brca}: the 39 features are columns 2-40 of {@code brca.csv} as they are (no scaling, age in
 * years), E and T its last two; site K's training rows are the pids whose {@code fold2} in
 * {@code train_test_split.csv} is {@code train_K}, its test rows {@code test_K}, each in {@code brca.csv} order. The
 * six sites are the regions 0 Northeast, 1 South, 2 West, 3 Midwest, 4 Europe, 5 Canada. The files' SHA-256 are those
 * the dataset's README lists. A test that needs the data fails, never skips, when it is missing.
 */
final class TcgaBrca {

    static final String DIRECTORY = "tcga-brca";
    static final int SITES = 6;
    static final List<String> REGIONS = List.of("northeast", "south", "west", "midwest", "europe", "canada");
    private static final Map<String, String> SHA256 = Map.of(
            "brca.csv", "07cb53423f7d579d33cfdbf2cba57b2aee75318b85866c68ce39a75b1f1ba020",
            "train_test_split.csv", "1249c6543a4060ff0fdaf8510fc37017755836db6c9fc5e6af96057c36510990");

    /** One region's training and test rows. */
    record Site(String id, SurvivalData train, SurvivalData test) {
    }

    private TcgaBrca() {
    }

    /** The six regions, in site order. */
    static List<Site> load() {
        Path dir = directory();
        try {
            List<String> brca = Files.readAllLines(dir.resolve("brca.csv"), StandardCharsets.UTF_8);
            List<String> split = Files.readAllLines(dir.resolve("train_test_split.csv"), StandardCharsets.UTF_8);
            Map<String, String> fold = new LinkedHashMap<>();
            for (String line : split.subList(1, split.size())) {
                String[] f = line.split(",", -1);
                fold.put(f[0], f[2]);
            }
            String[] header = splitQuoted(brca.getFirst());
            if (header.length != 42 || !header[40].equals("E") || !header[41].equals("T")) {
                fail(dir.resolve("brca.csv") + ": expected pid, 39 features, E, T; got " + header.length
                        + " columns ending " + Arrays.toString(Arrays.copyOfRange(header, 39, header.length)));
            }
            List<String> names = Arrays.asList(header).subList(1, 40);
            List<Site> sites = new ArrayList<>();
            for (int k = 0; k < SITES; k++) {
                sites.add(new Site(REGIONS.get(k), rows(brca, fold, "train_" + k, names),
                        rows(brca, fold, "test_" + k, names)));
            }
            return sites;
        } catch (IOException e) {
            return fail("cannot read " + dir + ": " + e.getMessage());
        }
    }

    private static SurvivalData rows(List<String> brca, Map<String, String> fold, String key, List<String> names) {
        List<String[]> picked = new ArrayList<>();
        for (String line : brca.subList(1, brca.size())) {
            String[] f = line.split(",", -1);
            if (f.length != 42) {
                fail("brca.csv: a data row has " + f.length + " fields, expected 42: " + line);
            }
            if (key.equals(fold.get(f[0]))) {
                picked.add(f);
            }
        }
        int n = picked.size();
        float[] x = new float[n * 39];
        double[] t = new double[n];
        boolean[] e = new boolean[n];
        for (int r = 0; r < n; r++) {
            String[] f = picked.get(r);
            for (int c = 0; c < 39; c++) {
                x[r * 39 + c] = Float.parseFloat(f[c + 1]);
            }
            e[r] = Double.parseDouble(f[40]) == 1.0;
            t[r] = Double.parseDouble(f[41]);
        }
        return new SurvivalData(x, t, e, n, 39, names);
    }

    /** A CSV line's fields, with RFC 4180 quotes (the header quotes two names that hold a comma). */
    private static String[] splitQuoted(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (ch == ',' && !quoted) {
                out.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        out.add(cell.toString());
        return out.toArray(String[]::new);
    }

    private static Path directory() {
        String root = System.getenv("FEDMED_DATA");
        String need = "needs dataset " + DIRECTORY + " (brca.csv, train_test_split.csv) in FEDMED_DATA";
        if (root == null || root.isBlank()) {
            return fail(need + ": FEDMED_DATA is not set");
        }
        Path dir = Path.of(root).resolve(DIRECTORY);
        for (Map.Entry<String, String> f : SHA256.entrySet()) {
            Path file = dir.resolve(f.getKey());
            if (!Files.isRegularFile(file)) {
                return fail(need + ": " + file + " is missing");
            }
            String actual = sha256(file);
            if (!actual.equals(f.getValue())) {
                return fail(file + " has SHA-256 " + actual + ", expected " + f.getValue()
                        + " (the file as FLamby publishes it)");
            }
        }
        return dir;
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            return fail("cannot checksum " + file + ": " + e.getMessage());
        }
    }
}
