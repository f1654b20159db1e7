package org.fedmed.deploy.site;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.fedmed.data.prep.Clipping;
import org.fedmed.data.prep.ConstantFill;
import org.fedmed.data.prep.MissingPolicy;
import org.fedmed.data.prep.OneHot;
import org.fedmed.data.prep.StandardDeviation;
import org.fedmed.data.prep.StatsMode;
import org.fedmed.ml.ModelSpec;
import org.fedmed.config.ConfigException;
import org.fedmed.config.YamlBinder;
import org.fedmed.config.YamlPositions;
import org.fedmed.transport.TaskKind;

/** Binds a site config file to a {@link SiteConfig}; every error names the file and the key at fault. */
final class SiteConfigReader {

    private static final ObjectMapper YAML = YamlBinder.mapper();

    /** The file as Jackson binds it: every key optional, values still raw. */
    record Document(String kit, DataDocument data, AllowDocument allow, String auditLog, PrivacyDocument privacy,
                    Boolean requireSecureAggregation) {
    }

    /** The raw {@code privacy} section. */
    record PrivacyDocument(DpSgdDocument dpSgd, UpdateNoiseDocument updateNoise) {
    }

    /** The raw {@code privacy.update_noise} section. */
    record UpdateNoiseDocument(Double minNoiseMultiplier, Double maxClipNorm, Boolean required, Long seed) {
    }

    /** The raw {@code privacy.dp_sgd} section. */
    record DpSgdDocument(Double clipNorm, Double noiseMultiplier, Double delta, Double maxEpsilon, Long seed) {
    }

    /** The raw {@code data} section. */
    record DataDocument(String dataset, String csv, Double testFraction, String missing, Boolean standardize, Long seed,
                        Long minRows, JsonNode fill, String oneHot, String sd, List<Double> clipQuantiles,
                        String definition, String site, String stats, Boolean missingIndicators, Long k) {
    }

    /** The raw {@code allow} section. */
    record AllowDocument(List<String> tasks, List<String> strategies, List<JsonNode> modelSpecs, Integer maxLocalEpochs,
                         Long maxParameters, Integer maxLocalSteps, Double maxProxMu, Double maxDittoLambda,
                         Boolean personalLayers) {
    }

    private SiteConfigReader() {
    }

    static SiteConfig load(Path file) {
        String text = YamlBinder.read(file);
        Document doc = bind(text, file);
        Path dir = file.toAbsolutePath().getParent();
        try {
            DataDocument d = required(doc.data(), "data");
            AllowDocument a = required(doc.allow(), "allow");
            DataSettings data = new DataSettings(d.definition() == null ? required(d.dataset(), "data.dataset") : d.dataset(),
                    d.csv() == null ? null : resolve(dir, d.csv(), "data.csv"),
                    or(d.testFraction(), DataSettings.DEFAULT_TEST_FRACTION),
                    d.missing() == null ? DataSettings.DEFAULT_MISSING : missing(d.missing()),
                    or(d.standardize(), true), or(d.seed(), DataSettings.DEFAULT_SEED),
                    or(d.minRows(), DataSettings.DEFAULT_MIN_ROWS), dataKey(() -> ConstantFill.fromKey(d.fill())),
                    d.oneHot() == null ? OneHot.FULL : dataKey(() -> OneHot.fromKey("one_hot", d.oneHot())),
                    d.sd() == null ? StandardDeviation.POPULATION : dataKey(() -> StandardDeviation.fromKey("sd", d.sd())),
                    dataKey(() -> Clipping.fromKey(d.clipQuantiles())),
                    d.definition() == null ? null : resolve(dir, d.definition(), "data.definition"), d.site(),
                    d.stats() == null ? StatsMode.FEDERATED : stats(d.stats()),
                    or(d.missingIndicators(), true), or(d.k(), DataSettings.DEFAULT_MIN_CELL));
            AllowList allow = new AllowList(a.tasks() == null ? AllowList.DEFAULT_TASKS : tasks(a.tasks()),
                    required(a.strategies(), "allow.strategies").stream().map(s -> s == null ? null : s.strip()).toList(),
                    specs(required(a.modelSpecs(), "allow.model_specs")),
                    or(a.maxLocalEpochs(), AllowList.DEFAULT_MAX_LOCAL_EPOCHS),
                    or(a.maxParameters(), AllowList.DEFAULT_MAX_PARAMETERS),
                    or(a.maxLocalSteps(), AllowList.DEFAULT_MAX_LOCAL_STEPS),
                    or(a.maxProxMu(), AllowList.DEFAULT_MAX_PROX_MU),
                    or(a.maxDittoLambda(), AllowList.DEFAULT_MAX_DITTO_LAMBDA),
                    or(a.personalLayers(), AllowList.DEFAULT_PERSONAL_LAYERS));
            Path audit = resolve(dir, doc.auditLog() == null ? SiteConfig.DEFAULT_AUDIT_LOG : doc.auditLog(), "audit_log");
            return new SiteConfig(resolve(dir, required(doc.kit(), "kit"), "kit"), data, allow, audit,
                    dpSgd(doc.privacy()), updateNoise(doc.privacy()), or(doc.requireSecureAggregation(), false));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": " + e.getMessage() + YamlPositions.ofKeyNamedIn(text, e.getMessage()));
        }
    }

    private static Document bind(String text, Path file) {
        if (text.isBlank()) {
            throw new ConfigException(file + ": the site config is empty; it needs at least 'kit', 'data' and 'allow'");
        }
        Document doc = YamlBinder.bind(text, file.toString(), List.of(), Map.of(), Document.class);
        try {
            refuseEmptyPrivacy(YAML.readTree(text), file);
        } catch (JsonProcessingException e) {
            throw new ConfigException(YamlPositions.syntaxError(file.toString(), e));
        }
        return doc;
    }

    /**
     * An empty {@code privacy} or {@code privacy.dp_sgd} (the key with no value) is an error rather than no privacy,
     * so that a site never trains without the differential privacy its operator meant to configure.
     */
    private static void refuseEmptyPrivacy(JsonNode tree, Path file) {
        JsonNode privacy = tree.get("privacy");
        String empty = privacy == null ? null : privacy.isNull() ? "privacy"
                : privacy.has("dp_sgd") && privacy.get("dp_sgd").isNull() ? "privacy.dp_sgd"
                : privacy.has("update_noise") && privacy.get("update_noise").isNull() ? "privacy.update_noise" : null;
        if (empty != null) {
            throw new ConfigException(file + ": key '" + empty + "' is empty; give its settings or leave the key out");
        }
    }

    private static DpSgdSettings dpSgd(PrivacyDocument privacy) {
        if (privacy == null || privacy.dpSgd() == null) {
            return null;
        }
        DpSgdDocument d = privacy.dpSgd();
        return new DpSgdSettings(required(d.clipNorm(), "privacy.dp_sgd.clip_norm"),
                required(d.noiseMultiplier(), "privacy.dp_sgd.noise_multiplier"),
                or(d.delta(), DpSgdSettings.DEFAULT_DELTA), d.maxEpsilon(), d.seed());
    }

    private static UpdateNoiseSettings updateNoise(PrivacyDocument privacy) {
        if (privacy == null || privacy.updateNoise() == null) {
            return UpdateNoiseSettings.DEFAULT;
        }
        UpdateNoiseDocument d = privacy.updateNoise();
        return new UpdateNoiseSettings(or(d.minNoiseMultiplier(), 0.0),
                or(d.maxClipNorm(), Double.POSITIVE_INFINITY), or(d.required(), false), d.seed());
    }

    private static Set<TaskKind> tasks(List<String> names) {
        Set<TaskKind> out = EnumSet.noneOf(TaskKind.class);
        for (String n : names) {
            out.add(switch (n == null ? "" : n.strip().toLowerCase(Locale.ROOT)) {
                case "fit" -> TaskKind.FIT;
                case "evaluate" -> TaskKind.EVALUATE;
                default -> throw new IllegalArgumentException("allow.tasks: unknown task kind '" + n
                        + "' (known: fit, evaluate)");
            });
        }
        return out;
    }

    private static List<ModelSpec> specs(List<JsonNode> nodes) {
        List<ModelSpec> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode n = nodes.get(i);
            if (n == null || n.isNull()) {
                throw new IllegalArgumentException("allow.model_specs[" + i + "] is empty");
            }
            try {
                out.add(ModelSpec.parse(n.isTextual() ? n.asText() : n.toString()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("allow.model_specs[" + i + "]: " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static StatsMode stats(String value) {
        try {
            return StatsMode.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("data.stats: unknown value '" + value + "' (known: federated, per_site)");
        }
    }

    private static MissingPolicy missing(String value) {
        try {
            return MissingPolicy.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("data.missing: unknown policy '" + value + "' (known: drop, mean, median, constant)");
        }
    }

    /** A value of the data section, its error naming the key as {@code data.<key>}. */
    private static <T> T dataKey(java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replace("config key '", "key 'data."), e);
        }
    }

    private static Path resolve(Path dir, String value, String key) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("key '" + key + "' must not be blank");
        }
        return dir.resolve(value.strip()).normalize();
    }

    private static <T> T required(T value, String key) {
        if (value == null) {
            throw new IllegalArgumentException("missing required key '" + key + "'");
        }
        return value;
    }

    private static <T> T or(T value, T otherwise) {
        return value == null ? otherwise : value;
    }

}
