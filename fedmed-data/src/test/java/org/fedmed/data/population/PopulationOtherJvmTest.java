package org.fedmed.data.population;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedmed.data.federated.SiteData;
import org.fedmed.data.registry.DatasetRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A virtual site built in another JVM, from the serialized spec alone, is the site built here. */
class PopulationOtherJvmTest {

    /** The SHA-256 of a site's id, training and test features and labels. */
    static String digest(SiteData s) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(s.siteId().getBytes(StandardCharsets.UTF_8));
        for (float[] part : List.of(s.train().features(), s.train().labels(), s.test().features(), s.test().labels())) {
            ByteBuffer b = ByteBuffer.allocate(4 * part.length + 4).putInt(part.length);
            for (float v : part) {
                b.putFloat(v);
            }
            md.update(b.array());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Run in the other JVM: reads the spec from args[0], prints the digests of the sites args[1..]. */
    public static void main(String[] args) throws Exception {
        PopulationSpec spec;
        try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(Path.of(args[0])))) {
            spec = (PopulationSpec) in.readObject();
        }
        Population p = Population.open(spec, new DatasetRegistry(List.of()));
        for (int i = 1; i < args.length; i++) {
            System.out.println(digest(p.site(Long.parseLong(args[i]))));
        }
    }

    @Test
    void aSiteBuiltInAnotherJvmFromTheSerializedSpecHasTheSameData(@TempDir Path dir) throws Exception {
        PopulationSpec spec = PopulationSpec.of(SiteGenerator.FromDataset.classes(PopulationTest.cohort(dir), 2,
                RowCount.logNormal(25, 0.5, 6, 90)), 1_000_000, 77).withRegions(5, RegionRule.STRIDE);
        Path file = dir.resolve("spec.bin");
        try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(file))) {
            out.writeObject(spec);
        }
        Population here = Population.open(spec, new DatasetRegistry(List.of()));
        String launcher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process other = new ProcessBuilder(launcher, "-cp", System.getProperty("java.class.path"),
                PopulationOtherJvmTest.class.getName(), file.toString(), "999999", "0", "314159")
                .redirectErrorStream(true).start();
        String out = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!other.waitFor(60, TimeUnit.SECONDS)) {
            other.destroyForcibly();
        }
        assertEquals(0, other.exitValue(), out);
        assertEquals(digest(here.site(999_999)) + "\n" + digest(here.site(0)) + "\n" + digest(here.site(314_159)) + "\n",
                out);
    }
}
