package org.fedmed.data.definition;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fedmed.data.DataFormatException;
import org.fedmed.data.partition.PartitionerKind;
import org.fedmed.data.schema.ColumnType;
import org.fedmed.config.YamlPositions;

/**
 * Reads a {@link DatasetDefinition} from YAML, strictly: an unknown key, a value of the wrong type, a type or kind
 * that is not one of the known ones, a level that is not a plain value, a missing required key, or keys that do
 * not go together are a {@link DataFormatException} of one line naming the file, the key, and its line and column
 * ({@code "def.yaml: key 'columns[2].type' (line 5, column 22): unknown type 'nummeric'; ..."}). Relative file
 * paths in a definition file resolve against the file's folder; a definition read from fedmed's resources finds
 * its files in the dataset's folder of the data search roots. Every key is described in docs/datasets.md.
 *
 * <p>It walks the YAML tree itself rather than binding records with {@code org.fedmed.config.YamlBinder}, and says
 * why here: which keys a label, a site list or a split may hold depends on its kind (the sealed
 * {@link LabelRule}, {@link SiteLayout} and {@link SplitRule}), and plain values must keep the text they were
 * written with, while a bound tree reads {@code yes}/{@code no} levels as booleans and {@code 007} as 7. Its errors
 * have the binder's form and use the same {@link YamlPositions}. The file is long because it is the whole grammar
 * of the format in one place: one method per section, and the typed accessors they share.
 */
public final class DefinitionReader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));

    private static final List<String> TOP = List.of("name", "aliases", "description", "licence", "citation", "url",
            "data_folder", "columns", "label", "sites", "split");
    private static final List<String> COLUMN = List.of("name", "type", "levels", "missing", "role", "missing_indicator");
    private static final List<String> LABEL = List.of("column", "kind", "positive_above", "positive", "negative", "levels",
            "time", "event", "event_values", "censored_values");
    private static final List<String> SITE = List.of("id", "file", "sha256", "train", "train_sha256", "test", "test_sha256");
    private static final List<String> ONE_FILE = List.of("file", "sha256", "column", "ids", "partition", "lookup");
    private static final List<String> LOOKUP = List.of("file", "sha256", "key");
    private static final List<String> PARTITION = List.of("kind", "sites", "alpha");
    private static final List<String> SPLIT = List.of("test_fraction", "seed", "column", "train", "test", "test_rows");

    private final DefinitionSource source;
    /** The text each number was written with (leading zeros and all), for keys that take text. */
    private final Map<JsonNode, String> written = new java.util.IdentityHashMap<>();

    private DefinitionReader(DefinitionSource source) {
        this.source = source;
    }

    /** Reads a definition file; its relative file paths resolve against its folder. */
    public static DatasetDefinition read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new DataFormatException("dataset definition " + file + " does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dataset definition " + file + ": " + e.getMessage(), e);
        }
        Path folder = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), new FileBase.Folder(folder));
    }

    /** Reads a definition shipped on the classpath; its files are found in the data search roots. */
    public static DatasetDefinition fromResource(String resource) {
        try (InputStream in = DefinitionReader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new DataFormatException("dataset definition resource " + resource + " is not on the classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dataset definition resource " + resource + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses definition text; {@code sourceName} names it in errors, {@code base} is where its files are unless the
     * text names a {@code data_folder} (null: the data roots' folder named after the dataset, as for a definition
     * shipped with fedmed).
     */
    public static DatasetDefinition parse(String text, String sourceName, FileBase base) {
        DefinitionSource source = new DefinitionSource(sourceName, text);
        DefinitionReader reader = new DefinitionReader(source);
        JsonNode root;
        try {
            root = text.isBlank() ? null : reader.tree(text);
        } catch (JsonProcessingException e) {
            if (YamlPositions.isSyntaxError(e)) {
                throw new DataFormatException(YamlPositions.syntaxError(sourceName, e));
            }
            throw new DataFormatException(sourceName + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + sourceName + ": " + e.getMessage(), e);
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            throw new DataFormatException(sourceName + ": the dataset definition is empty; it needs at least 'name',"
                    + " 'columns', 'label' and 'sites'");
        }
        return reader.definition(new Node(root, List.of()), base);
    }

    /**
     * The document as a tree in which every plain value keeps the text it was written with: YAML 1.1 reads
     * {@code yes}, {@code no}, {@code on} and {@code off} as booleans, which would turn a level {@code yes} into
     * {@code true}; here only {@code true} and {@code false} are booleans. Numbers stay numbers.
     */
    private JsonNode tree(String text) throws IOException {
        try (JsonParser p = YAML.getFactory().createParser(text)) {
            JsonToken t = p.nextToken();
            return t == null ? null : value(p);
        }
    }

    private JsonNode value(JsonParser p) throws IOException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (p.currentToken()) {
            case START_OBJECT -> {
                ObjectNode o = f.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    o.set(key, value(p));
                }
                yield o;
            }
            case START_ARRAY -> {
                ArrayNode a = f.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(value(p));
                }
                yield a;
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                JsonNode n = p.currentToken() == JsonToken.VALUE_NUMBER_INT ? f.numberNode(p.getBigIntegerValue())
                        : f.numberNode(p.getDoubleValue());
                written.put(n, p.getText());
                yield n;
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                String raw = p.getText();
                yield raw.equals("true") || raw.equals("false") ? f.booleanNode(raw.equals("true")) : f.textNode(raw);
            }
            case VALUE_NULL -> f.nullNode();
            default -> f.textNode(p.getText());
        };
    }

    /** A value in the tree and its path from the top of the file. */
    private record Node(JsonNode value, List<Object> path) {
        Node child(Object step, JsonNode v) {
            List<Object> p = new ArrayList<>(path);
            p.add(step);
            return new Node(v, List.copyOf(p));
        }
    }

    private DataFormatException error(Node at, String problem) {
        return new DataFormatException(source.message(at.path(), false, problem));
    }

    private DataFormatException keyError(Node at, String problem) {
        return new DataFormatException(source.message(at.path(), true, problem));
    }

    private Node mapping(Node n, List<String> known) {
        if (!n.value().isObject()) {
            throw error(n, "expects a mapping of keys to values, got " + kind(n.value()));
        }
        for (Iterator<String> it = n.value().fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw keyError(n.child(key, n.value().get(key)), "unknown key; known keys here: " + String.join(", ", known));
            }
        }
        return n;
    }

    private Node get(Node n, String key) {
        JsonNode v = n.value().get(key);
        return v == null || v.isNull() ? null : n.child(key, v);
    }

    private Node required(Node n, String key) {
        Node v = get(n, key);
        if (v == null) {
            throw new DataFormatException(source.missing(n.path(), key));
        }
        return v;
    }

    private String text(Node n) {
        if (n == null) {
            return null;
        }
        if (!n.value().isTextual() && !n.value().isNumber()) {
            throw error(n, "expects text, got " + kind(n.value()));
        }
        String s = written.getOrDefault(n.value(), n.value().asText()).strip();
        if (s.isEmpty()) {
            throw error(n, "must not be blank");
        }
        return s;
    }

    /** A plain value (text, number or boolean) as text: a level, a marker, a label or split value. */
    private String scalar(Node n) {
        if (!n.value().isValueNode() || n.value().isNull()) {
            throw error(n, "expects a plain value (text or number), got " + kind(n.value()));
        }
        String s = written.getOrDefault(n.value(), n.value().asText()).strip();
        if (s.isEmpty()) {
            throw error(n, "must not be blank");
        }
        return s;
    }

    private List<String> scalars(Node n) {
        if (n == null) {
            return null;
        }
        if (n.value().isValueNode()) {
            return List.of(scalar(n));
        }
        if (!n.value().isArray()) {
            throw error(n, "expects a list of plain values, got " + kind(n.value()));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.value().size(); i++) {
            Node item = n.child(i, n.value().get(i));
            String s = scalar(item);
            if (org.fedmed.data.schema.Levels.indexOf(out, s) >= 0) {
                throw error(item, "value '" + s + "' is listed twice");
            }
            out.add(s);
        }
        return out;
    }

    private double number(Node n) {
        if (!n.value().isNumber()) {
            throw error(n, "expects a number, got " + kind(n.value()));
        }
        double v = n.value().asDouble();
        if (!Double.isFinite(v)) {
            throw error(n, "expects a finite number, got " + n.value().asText());
        }
        return v;
    }

    private long integer(Node n) {
        if (!n.value().isIntegralNumber() || !n.value().canConvertToLong()) {
            throw error(n, "expects a whole number, got " + (n.value().isNumber() ? n.value().asText() : kind(n.value())));
        }
        return n.value().asLong();
    }

    private boolean bool(Node n) {
        if (!n.value().isBoolean()) {
            throw error(n, "expects true or false, got " + kind(n.value()));
        }
        return n.value().asBoolean();
    }

    private <E extends Enum<E>> E choice(Node n, Map<String, E> names, String what) {
        String s = text(n);
        E e = names.get(s.toLowerCase(Locale.ROOT));
        if (e == null) {
            throw error(n, "unknown " + what + " '" + s + "'; expected one of " + String.join(", ", names.keySet()));
        }
        return e;
    }

    private static String kind(JsonNode v) {
        if (v.isObject()) {
            return "a mapping";
        }
        if (v.isArray()) {
            return "a list";
        }
        if (v.isNumber()) {
            return "the number " + v.asText();
        }
        if (v.isBoolean()) {
            return v.asText();
        }
        return v.isNull() ? "nothing" : "'" + v.asText() + "'";
    }

    /** Runs {@code check}, turning a constructor's complaint into an error at {@code at}. */
    private <T> T at(Node at, java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (DataFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw error(at, e.getMessage());
        }
    }

    private DatasetDefinition definition(Node root, FileBase base) {
        if (root.value().isObject() && root.value().has("format") && !root.value().has("columns")) {
            // an image dataset definition (docs/datasets.md, "Image datasets"), read by the optional fedmed-imaging
            throw error(root.child("format", root.value().get("format")), "makes this an image dataset definition,"
                    + " which a plan with an image model (type cnn or resnet) trains and fedmed-imaging reads; a"
                    + " tabular definition has 'columns' instead");
        }
        mapping(root, TOP);
        String name = text(required(root, "name"));
        List<String> aliases = scalars(get(root, "aliases"));
        Node columnsNode = required(root, "columns");
        if (!columnsNode.value().isArray() || columnsNode.value().isEmpty()) {
            throw error(columnsNode, "expects a non-empty list of columns");
        }
        List<ColumnDefinition> columns = new ArrayList<>();
        for (int i = 0; i < columnsNode.value().size(); i++) {
            columns.add(column(columnsNode.child(i, columnsNode.value().get(i))));
        }
        for (int i = 0; i < columns.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (columns.get(i).name().equals(columns.get(j).name())) {
                    Node dup = columnsNode.child(i, columnsNode.value().get(i));
                    throw error(dup.child("name", dup.value().get("name")), "column '" + columns.get(i).name()
                            + "' is declared twice (also columns[" + j + "])");
                }
            }
        }
        Node labelNode = required(root, "label");
        LabelRule label = label(labelNode);
        Node sitesNode = required(root, "sites");
        SiteLayout sites = sites(sitesNode);
        Node splitNode = get(root, "split");
        SplitRule split = splitNode == null
                ? (sites instanceof SiteLayout.FilePerSite f && f.separateTest() ? new SplitRule.Files()
                        : new SplitRule.Fraction(null, null))
                : split(splitNode);
        if (split instanceof SplitRule.Rows rows && DatasetDefinition.listedSitesMismatch(sites, rows) != null) {
            throw error(get(splitNode, "test_rows"), DatasetDefinition.listedSitesMismatch(sites, rows));
        }
        if (split instanceof SplitRule.Files == false && sites instanceof SiteLayout.FilePerSite f && f.separateTest()) {
            throw keyError(splitNode, "sites with separate 'train' and 'test' files take no 'split'");
        }
        Node anchor = root.child("name", root.value().get("name"));
        Node dataFolder = get(root, "data_folder");
        FileBase files = dataFolder != null ? at(dataFolder, () -> new FileBase.DataRoots(text(dataFolder)))
                : base == null ? new FileBase.DataRoots(name) : base;
        return at(anchor, () -> new DatasetDefinition(name, aliases, text(get(root, "description")),
                text(get(root, "licence")), text(get(root, "citation")), text(get(root, "url")), columns, label, sites,
                split, files, source));
    }

    private ColumnDefinition column(Node n) {
        mapping(n, COLUMN);
        String name = text(required(n, "name"));
        Node roleNode = get(n, "role");
        ColumnRole role = roleNode == null ? ColumnRole.FEATURE
                : choice(roleNode, names(ColumnRole.values()), "role");
        Node typeNode = get(n, "type");
        Node levelsNode = get(n, "levels");
        Node missingNode = get(n, "missing");
        Node indicatorNode = get(n, "missing_indicator");
        if (role == ColumnRole.DROP) {
            for (Node extra : new Node[] {typeNode, levelsNode, missingNode, indicatorNode}) {
                if (extra != null) {
                    throw keyError(extra, "a dropped column takes only 'name' and 'role'");
                }
            }
            return ColumnDefinition.drop(name);
        }
        if (typeNode == null) {
            throw keyError(n.child("name", n.value().get("name")), "column '" + name + "' needs a 'type' (numeric,"
                    + " integer, binary or categorical) or 'role: drop'");
        }
        ColumnType type = choice(typeNode, names(ColumnType.values()), "type");
        List<String> levels = scalars(levelsNode);
        if (type == ColumnType.BINARY && levels == null) {
            levels = List.of("0", "1");
        }
        if ((type == ColumnType.NUMERIC || type == ColumnType.INTEGER) && levels != null) {
            throw keyError(levelsNode, "only categorical and binary columns take levels");
        }
        if (type == ColumnType.CATEGORICAL && levels == null) {
            throw keyError(typeNode, "a categorical column needs 'levels'");
        }
        List<String> missing = scalars(missingNode);
        boolean indicator = indicatorNode != null && bool(indicatorNode);
        List<String> lv = levels;
        return at(levelsNode != null ? levelsNode : typeNode, () -> new ColumnDefinition(name, type, lv, missing, role, indicator));
    }

    private LabelRule label(Node n) {
        mapping(n, LABEL);
        Node kindNode = required(n, "kind");
        String kind = text(kindNode).toLowerCase(Locale.ROOT);
        List<String> allowed = switch (kind) {
            case "binary" -> List.of("column", "kind", "positive_above", "positive", "negative");
            case "multiclass" -> List.of("column", "kind", "levels");
            case "continuous" -> List.of("column", "kind");
            case "survival" -> List.of("kind", "time", "event", "event_values", "censored_values");
            default -> throw error(kindNode, "unknown label kind '" + kind + "'; expected one of binary, multiclass,"
                    + " continuous, survival");
        };
        for (Iterator<String> it = n.value().fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw keyError(n.child(key, n.value().get(key)), "not allowed for label kind " + kind + " (keys for it: "
                        + String.join(", ", allowed) + ")");
            }
        }
        return switch (kind) {
            case "binary" -> {
                String column = text(required(n, "column"));
                Node above = get(n, "positive_above");
                Node positive = get(n, "positive");
                if ((above == null) == (positive == null)) {
                    throw keyError(kindNode, "a binary label needs exactly one of 'positive_above' (a threshold) or"
                            + " 'positive' (the positive values)");
                }
                if (above != null) {
                    if (get(n, "negative") != null) {
                        throw keyError(get(n, "negative"), "goes with 'positive', not with 'positive_above'");
                    }
                    double t = number(above);
                    yield at(above, () -> new LabelRule.BinaryAbove(column, t));
                }
                List<String> pos = scalars(positive);
                List<String> neg = scalars(get(n, "negative"));
                yield at(positive, () -> new LabelRule.BinaryValues(column, pos, neg));
            }
            case "multiclass" -> {
                String column = text(required(n, "column"));
                Node levels = required(n, "levels");
                List<String> lv = scalars(levels);
                yield at(levels, () -> new LabelRule.MultiClass(column, lv));
            }
            case "continuous" -> new LabelRule.Continuous(text(required(n, "column")));
            default -> {
                String time = text(required(n, "time"));
                String event = text(required(n, "event"));
                List<String> ev = scalars(get(n, "event_values"));
                List<String> cv = scalars(get(n, "censored_values"));
                yield at(kindNode, () -> new LabelRule.Survival(time, event, ev == null ? List.of("1") : ev,
                        cv == null ? List.of("0") : cv));
            }
        };
    }

    private SiteLayout sites(Node n) {
        if (n.value().isArray()) {
            if (n.value().isEmpty()) {
                throw error(n, "expects at least one site");
            }
            List<SiteFiles> sites = new ArrayList<>();
            for (int i = 0; i < n.value().size(); i++) {
                Node s = mapping(n.child(i, n.value().get(i)), SITE);
                String id = text(required(s, "id"));
                for (SiteFiles earlier : sites) {
                    if (earlier.id().equals(id)) {
                        throw error(s.child("id", s.value().get("id")), "site id '" + id + "' repeats");
                    }
                }
                FileRef file = file(s, "file", "sha256");
                FileRef train = file(s, "train", "train_sha256");
                FileRef test = file(s, "test", "test_sha256");
                if (file != null && (train != null || test != null)) {
                    throw keyError(get(s, train != null ? "train" : "test"), "a site names either 'file', or 'train' and 'test'");
                }
                if (file == null && (train == null || test == null)) {
                    throw keyError(s.child("id", s.value().get("id")), "site '" + id + "' needs 'file', or both 'train'"
                            + " and 'test'");
                }
                if (!sites.isEmpty() && sites.getFirst().separateTest() != (file == null)) {
                    throw keyError(s.child("id", s.value().get("id")), "either every site names 'train' and 'test', or"
                            + " none does");
                }
                sites.add(new SiteFiles(id, file, train, test));
            }
            return new SiteLayout.FilePerSite(sites);
        }
        mapping(n, ONE_FILE);
        FileRef file = file(n, "file", "sha256");
        if (file == null) {
            throw keyError(n, "needs 'file': the one file of all sites' rows (or give a list of sites)");
        }
        Node column = get(n, "column");
        Node partition = get(n, "partition");
        Node ids = get(n, "ids");
        Node lookupNode = get(n, "lookup");
        if (column != null) {
            if (partition != null) {
                throw keyError(partition, "a file with a site column takes no 'partition'");
            }
            SiteLayout.Lookup lookup = null;
            if (lookupNode != null) {
                mapping(lookupNode, LOOKUP);
                FileRef lookupFile = file(lookupNode, "file", "sha256");
                if (lookupFile == null) {
                    throw keyError(lookupNode, "needs 'file': the file that gives each row's site and split");
                }
                String key = text(required(lookupNode, "key"));
                lookup = at(lookupNode, () -> new SiteLayout.Lookup(lookupFile, key));
            }
            SiteLayout.Lookup joined = lookup;
            if (ids != null && ids.value().isObject()) {
                // each site with the values of the site column that name it
                Map<String, List<String>> values = new java.util.LinkedHashMap<>();
                for (Iterator<String> it = ids.value().fieldNames(); it.hasNext(); ) {
                    String site = it.next();
                    values.put(site, scalars(ids.child(site, ids.value().get(site))));
                }
                return at(ids, () -> new SiteLayout.SiteColumn(file, text(column), null, values, joined));
            }
            List<String> idList = scalars(ids);
            return at(column, () -> new SiteLayout.SiteColumn(file, text(column), idList, null, joined));
        }
        if (ids != null) {
            throw keyError(ids, "goes with 'column' (the site column)");
        }
        if (lookupNode != null) {
            throw keyError(lookupNode, "goes with 'column' (the site column)");
        }
        if (partition == null) {
            return new SiteLayout.Partitioned(file, null);
        }
        mapping(partition, PARTITION);
        PartitionerKind kind = choice(required(partition, "kind"), names(PartitionerKind.values()),
                "partitioner");
        Node sitesNode = required(partition, "sites");
        long count = integer(sitesNode);
        Node alphaNode = get(partition, "alpha");
        double alpha = alphaNode == null ? 0.5 : number(alphaNode);
        return at(partition, () -> new SiteLayout.Partitioned(file, new SiteLayout.Partition(kind,
                (int) Math.min(Integer.MAX_VALUE, count), alpha)));
    }

    /** The values of a closed choice by their lower-case names, in declaration order. */
    private static <E extends Enum<E>> Map<String, E> names(E[] values) {
        Map<String, E> m = new java.util.LinkedHashMap<>();
        for (E e : values) {
            m.put(e.name().toLowerCase(Locale.ROOT), e);
        }
        return m;
    }

    private FileRef file(Node n, String key, String shaKey) {
        Node f = get(n, key);
        Node sha = get(n, shaKey);
        if (f == null) {
            if (sha != null) {
                throw keyError(sha, "goes with '" + key + "'");
            }
            return null;
        }
        String path = text(f);
        String digest = sha == null ? null : text(sha);
        if (digest != null && !digest.matches("[0-9a-f]{64}")) {
            throw error(sha, "expects 64 lowercase hex digits, got '" + digest + "'");
        }
        return new FileRef(path, digest, f.path());
    }

    private SplitRule testRows(Node n) {
        if (!n.value().isObject() || n.value().isEmpty()) {
            throw error(n, "expects a mapping of each site id to its list of test rows, got " + kind(n.value()));
        }
        Map<String, List<Integer>> out = new java.util.LinkedHashMap<>();
        for (Iterator<String> it = n.value().fieldNames(); it.hasNext(); ) {
            String site = it.next();
            Node list = n.child(site, n.value().get(site));
            if (!list.value().isArray() || list.value().isEmpty()) {
                throw error(list, "expects a non-empty list of row numbers, got " + kind(list.value()));
            }
            List<Integer> rowsOfSite = new ArrayList<>();
            for (int i = 0; i < list.value().size(); i++) {
                Node item = list.child(i, list.value().get(i));
                long r = integer(item);
                if (r < 0 || r > Integer.MAX_VALUE) {
                    throw error(item, "expects a row number >= 0 (the first row after the header is 0), got " + r);
                }
                if (rowsOfSite.contains((int) r)) {
                    throw error(item, "row " + r + " is listed twice");
                }
                rowsOfSite.add((int) r);
            }
            out.put(site, rowsOfSite);
        }
        return at(n, () -> new SplitRule.Rows(out));
    }

    private SplitRule split(Node n) {
        mapping(n, SPLIT);
        Node rows = get(n, "test_rows");
        if (rows != null) {
            for (String k : SPLIT) {
                if (!k.equals("test_rows") && get(n, k) != null) {
                    throw keyError(get(n, k), "does not go with 'test_rows' (the listed test rows are the split)");
                }
            }
            return testRows(rows);
        }
        Node column = get(n, "column");
        if (column != null) {
            for (String k : List.of("test_fraction", "seed")) {
                if (get(n, k) != null) {
                    throw keyError(get(n, k), "goes with a fraction split, not with 'column'");
                }
            }
            List<String> train = scalars(required(n, "train"));
            Node testNode = required(n, "test");
            List<String> test = scalars(testNode);
            return at(testNode, () -> new SplitRule.Column(text(column), train, test));
        }
        for (String k : List.of("train", "test")) {
            if (get(n, k) != null) {
                throw keyError(get(n, k), "goes with 'column' (the split column)");
            }
        }
        Node fraction = get(n, "test_fraction");
        Node seed = get(n, "seed");
        Double f = fraction == null ? null : number(fraction);
        Long s = seed == null ? null : integer(seed);
        return at(fraction != null ? fraction : n, () -> new SplitRule.Fraction(f, s));
    }
}
