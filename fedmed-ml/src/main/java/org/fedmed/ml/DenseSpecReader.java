package org.fedmed.ml;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Binds YAML or JSON text to a {@link DenseSpec}, turning Jackson errors into messages that name the key. */
final class DenseSpecReader {

    private static final ObjectMapper JSON = configure(JsonMapper.builder()).build();
    private static final ObjectMapper YAML = configure(YAMLMapper.builder()).build();

    private DenseSpecReader() {
    }

    private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B configure(
            B builder) {
        return builder.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    static DenseSpec read(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("model spec is empty");
        }
        ObjectMapper mapper = text.stripLeading().startsWith("{") ? JSON : YAML;
        DenseSpecDocument doc;
        try {
            doc = mapper.readValue(text, DenseSpecDocument.class);
        } catch (UnrecognizedPropertyException e) {
            String path = path(e);
            List<String> known = path.startsWith("optimizer.") ? DenseSpecDocument.OptimizerDocument.KEYS
                    : DenseSpecDocument.KEYS;
            throw new IllegalArgumentException("model spec: unknown key '" + path + "' (known: "
                    + String.join(", ", known) + ")", e);
        } catch (MismatchedInputException e) {
            String path = path(e);
            String expected = expectedKind(e.getTargetType());
            throw new IllegalArgumentException(path.equals("(root)")
                    ? "model spec: must be " + expected
                    : "model spec: '" + path + "' must be " + expected, e);
        } catch (DatabindException e) {
            throw new IllegalArgumentException("model spec: bad value for '" + path((JsonMappingException) e) + "': "
                    + e.getOriginalMessage(), e);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("model spec: not valid YAML or JSON: " + e.getOriginalMessage(), e);
        }
        if (doc == null) {
            throw new IllegalArgumentException("model spec is empty");
        }
        return toSpec(doc);
    }

    private static String expectedKind(Class<?> target) {
        if (target == null) {
            return "a value of another kind";
        }
        if (target == Double.class || target == double.class) {
            return "a number";
        }
        if (target == Integer.class || target == int.class) {
            return "a whole number";
        }
        if (target == String.class) {
            return "a single word";
        }
        if (Collection.class.isAssignableFrom(target)) {
            return "a list of layer widths, like [32, 16]";
        }
        if (target == DenseSpecDocument.OptimizerDocument.class) {
            return "a mapping like {type: adam}";
        }
        return "a mapping with keys " + String.join(", ", DenseSpecDocument.KEYS);
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "(root)" : sb.toString();
    }

    private static DenseSpec toSpec(DenseSpecDocument doc) {
        if (doc.type() == null) {
            throw new IllegalArgumentException("model spec: 'type' is required (logistic, mlp)");
        }
        return new DenseSpec(
                SpecKeys.parse(ModelType.class, doc.type(), "type"),
                doc.hidden(),
                doc.dropout() == null ? 0 : doc.dropout(),
                doc.loss() == null ? LossType.AUTO : SpecKeys.parse(LossType.class, doc.loss(), "loss"),
                doc.l2() == null ? 0 : doc.l2(),
                doc.optimizer() == null ? OptimizerSpec.sgd() : toOptimizer(doc.optimizer()),
                doc.init() == null ? InitScheme.AUTO : SpecKeys.parse(InitScheme.class, doc.init(), "init"));
    }

    private static OptimizerSpec toOptimizer(DenseSpecDocument.OptimizerDocument o) {
        if (o.type() == null) {
            throw new IllegalArgumentException("model spec: 'optimizer.type' is required (sgd, adam)");
        }
        return switch (o.type()) {
            case "sgd" -> {
                rejectForType("sgd", "beta1", o.beta1());
                rejectForType("sgd", "beta2", o.beta2());
                rejectForType("sgd", "epsilon", o.epsilon());
                yield new OptimizerSpec.Sgd(o.momentum() == null ? 0 : o.momentum());
            }
            case "adam" -> {
                rejectForType("adam", "momentum", o.momentum());
                yield new OptimizerSpec.Adam(o.beta1() == null ? 0.9 : o.beta1(), o.beta2() == null ? 0.999 : o.beta2(),
                        o.epsilon() == null ? 1e-8 : o.epsilon());
            }
            default -> throw new IllegalArgumentException("model spec: 'optimizer.type' must be one of sgd, adam, got '"
                    + o.type() + "'");
        };
    }

    private static void rejectForType(String type, String key, Double value) {
        if (value != null) {
            throw new IllegalArgumentException("model spec: 'optimizer." + key + "' does not apply to optimizer type "
                    + type);
        }
    }

    static String toJson(Map<String, Object> map) {
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write model spec as JSON", e);
        }
    }
}
