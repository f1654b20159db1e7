package org.fedmed.data.prep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.fedmed.data.schema.ColumnType;
import org.fedmed.data.schema.DatasetSchema;
import org.fedmed.data.schema.FeatureSpec;
import org.fedmed.data.schema.LabelKind;
import org.fedmed.data.schema.LabelSpec;

/**
 * The JSON form of fitted preprocessing that an export carries, so that a model can be applied to a new raw row:
 * the model's input columns in order, the options, and per raw feature column its type, its levels (categorical)
 * and its fitted numbers (fill, center, scale, clip bounds, indicator). Under {@link StatsMode#FEDERATED} one shared
 * set of numbers ({@code shared}); under {@link StatsMode#PER_SITE} one per site ({@code sites}), since every site
 * standardized with its own. {@link #read} gives back a {@link Preprocessor} that encodes a row exactly as the one
 * written, bit for bit (doubles are written in full).
 */
public final class PreprocessingJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PreprocessingJson() {
    }

    /**
     * The {@code preprocessing} section for a model trained on sites preprocessed by {@code bySite} (site id to its
     * preprocessor, all with the same output columns) under {@code options}.
     */
    public static ObjectNode section(PreprocessOptions options, Map<String, Preprocessor> bySite) {
        if (bySite.isEmpty()) {
            throw new IllegalArgumentException("no site preprocessors to describe");
        }
        Preprocessor first = bySite.values().iterator().next();
        ObjectNode s = JSON.createObjectNode();
        ArrayNode inputs = s.putArray("inputs");
        first.featureNames().forEach(inputs::add);
        s.put("stats", options.stats().name().toLowerCase(Locale.ROOT));
        s.put("missing", options.missing().key());
        s.put("missing_indicators", options.indicators());
        s.put("one_hot", options.oneHot().key());
        s.put("standardize", options.standardize());
        s.put("sd", options.sd().key());
        if (options.clip() instanceof Clipping.AtQuantiles q) {
            s.putArray("clip_quantiles").add(q.lower()).add(q.upper());
        } else {
            s.putNull("clip_quantiles");
        }
        s.put("unknown_level", "error");
        s.set("label", label(first.schema().label()));
        boolean shared = options.stats() == StatsMode.FEDERATED && bySite.values().stream().distinct().count() == 1;
        if (shared) {
            s.set("shared", columns(first));
        } else {
            ObjectNode sites = s.putObject("sites");
            bySite.forEach((site, p) -> sites.set(site, columns(p)));
        }
        return s;
    }

    /** The site ids a section holds numbers for; empty when its numbers are shared. */
    public static List<String> sites(JsonNode section) {
        List<String> out = new ArrayList<>();
        JsonNode sites = section.path("sites");
        sites.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /**
     * The preprocessor a section describes: the shared one, or {@code site}'s when each site has its own (the only
     * one when the section holds one site's).
     *
     * @throws IllegalArgumentException when the section has per-site numbers and {@code site} is absent or not one of
     *                                  them (the message lists them), or the section is malformed (naming the field)
     */
    public static Preprocessor read(JsonNode section, Optional<String> site) {
        JsonNode columns;
        if (section.has("shared")) {
            columns = section.get("shared");
        } else {
            List<String> sites = sites(section);
            if (site.isEmpty() && sites.size() == 1) {
                site = Optional.of(sites.getFirst());
            }
            if (site.isEmpty()) {
                throw new IllegalArgumentException("the model's sites were preprocessed each with its own statistics"
                        + " (stats: per_site); name the site whose preprocessing to apply, one of " + sites);
            }
            columns = section.path("sites").get(site.get());
            if (columns == null) {
                throw new IllegalArgumentException("no preprocessing for site '" + site.get() + "'; sites: " + sites);
            }
        }
        List<FeatureSpec> features = new ArrayList<>();
        List<ColumnTransform> transforms = new ArrayList<>();
        for (JsonNode c : columns) {
            String name = text(c, "name");
            ColumnType type = ColumnType.valueOf(text(c, "type").toUpperCase(Locale.ROOT));
            List<String> levels = new ArrayList<>();
            c.path("levels").forEach(l -> levels.add(l.asText()));
            List<String> missing = new ArrayList<>();
            c.path("missing").forEach(m -> missing.add(m.asText()));
            features.add(new FeatureSpec(name, type, levels, missing, c.path("missing_indicator").asBoolean(false)));
            transforms.add(new ColumnTransform(number(c, "fill", Double.NaN), number(c, "center", 0),
                    number(c, "scale", 1), number(c, "clip_lower", Double.NEGATIVE_INFINITY),
                    number(c, "clip_upper", Double.POSITIVE_INFINITY), c.path("indicator").asBoolean(false)));
        }
        DatasetSchema schema = new DatasetSchema(features, List.of(), readLabel(section.path("label")));
        Preprocessor p = new Preprocessor(schema, MissingPolicy.fromKey("missing", text(section, "missing")),
                OneHot.fromKey("one_hot", text(section, "one_hot")), transforms);
        List<String> inputs = new ArrayList<>();
        section.path("inputs").forEach(n -> inputs.add(n.asText()));
        if (!inputs.equals(p.featureNames())) {
            throw new IllegalArgumentException("preprocessing field 'inputs' " + inputs
                    + " does not match the columns its transforms make " + p.featureNames());
        }
        return p;
    }

    private static ArrayNode columns(Preprocessor p) {
        ArrayNode out = JSON.createArrayNode();
        for (int f = 0; f < p.columns().size(); f++) {
            FeatureSpec spec = p.schema().features().get(f);
            ColumnTransform t = p.columns().get(f);
            ObjectNode c = out.addObject();
            c.put("name", spec.name());
            c.put("type", spec.type().name().toLowerCase(Locale.ROOT));
            if (spec.categorical()) {
                ArrayNode levels = c.putArray("levels");
                spec.levels().forEach(levels::add);
                ArrayNode encoded = c.putArray("encoded_levels");
                spec.levels().subList(p.oneHot().firstEncodedLevel(), spec.levels().size()).forEach(encoded::add);
            } else {
                if (!spec.levels().isEmpty()) {
                    // a binary column's two levels, which read as 0 and 1: the reader needs them to read its values
                    spec.levels().forEach(c.putArray("levels")::add);
                }
                putNumber(c, "fill", t.fill());
                c.put("center", t.center());
                c.put("scale", t.scale());
                putNumber(c, "clip_lower", t.lower());
                putNumber(c, "clip_upper", t.upper());
            }
            c.put("indicator", t.indicator());
            spec.missing().forEach(c.putArray("missing")::add);
            c.put("missing_indicator", spec.missingIndicator());
        }
        return out;
    }

    private static ObjectNode label(LabelSpec label) {
        ObjectNode l = JSON.createObjectNode();
        l.put("column", label.column());
        l.put("kind", label.kind().name().toLowerCase(Locale.ROOT));
        l.put("classes", label.classes());
        if (label.threshold() != null) {
            l.put("threshold", label.threshold());
        }
        if (!label.mapping().isEmpty()) {
            ObjectNode m = l.putObject("mapping");
            label.mapping().forEach(m::put);
        }
        return l;
    }

    private static LabelSpec readLabel(JsonNode l) {
        String column = text(l, "column");
        return switch (LabelKind.valueOf(text(l, "kind").toUpperCase(Locale.ROOT))) {
            case THRESHOLD -> LabelSpec.threshold(column, number(l, "threshold", Double.NaN));
            case REGRESSION -> LabelSpec.regression(column);
            case MAPPING, POSITIVE_VALUES -> {
                Map<String, Integer> mapping = new LinkedHashMap<>();
                l.path("mapping").fields().forEachRemaining(e -> mapping.put(e.getKey(), e.getValue().asInt()));
                yield new LabelSpec(column, LabelKind.valueOf(text(l, "kind").toUpperCase(Locale.ROOT)), null, mapping);
            }
        };
    }

    /** A non-finite number (NaN: no fill; infinite: no clip bound) is written as null. */
    private static void putNumber(ObjectNode o, String field, double v) {
        if (Double.isFinite(v)) {
            o.put(field, v);
        } else {
            o.putNull(field);
        }
    }

    private static double number(JsonNode o, String field, double absent) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException("preprocessing field '" + field + "' must be a number, got " + v);
        }
        return v.doubleValue();
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("preprocessing field '" + field + "' must be a string, got " + v);
        }
        return v.asText();
    }
}
