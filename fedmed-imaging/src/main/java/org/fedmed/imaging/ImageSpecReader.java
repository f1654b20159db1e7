package org.fedmed.imaging;

import com.fasterxml.jackson.annotation.JsonProperty;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fedmed.ml.OptimizerSpec;

/**
 * Binds YAML or JSON text to an {@link ImageModelSpec}, strictly (unknown keys, fractional whole numbers and keys of
 * the other model type are errors), turning Jackson errors into messages that name the key.
 */
final class ImageSpecReader {

    private static final ObjectMapper JSON = configure(JsonMapper.builder()).build();
    private static final ObjectMapper YAML = configure(YAMLMapper.builder()).build();

    /** The raw spec file: every field optional, enum values still strings. */
    record SpecDocument(String type, List<ConvDocument> conv, List<Integer> dense, String activation, Integer width,
                        List<Integer> blocks, OptimizerDocument optimizer) {
        static final List<String> KEYS = List.of("type", "conv", "dense", "activation", "width", "blocks",
                "optimizer");
    }

    /** One raw convolution. */
    record ConvDocument(Integer channels, Integer kernel, Integer stride, Integer padding, String pool,
                        @JsonProperty("pool_size") Integer poolSize, @JsonProperty("pool_stride") Integer poolStride) {
        static final List<String> KEYS = List.of("channels", "kernel", "stride", "padding", "pool", "pool_size",
                "pool_stride");
    }

    /** The raw optimizer block, as in the tabular model spec. */
    record OptimizerDocument(String type, Double momentum, Double beta1, Double beta2, Double epsilon) {
        static final List<String> KEYS = List.of("type", "momentum", "beta1", "beta2", "epsilon");
    }

    private ImageSpecReader() {
    }

    private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B configure(B builder) {
        return builder.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    static ImageModelSpec read(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("model spec is empty");
        }
        SpecDocument doc;
        try {
            // JSON is YAML's flow style, so one parser reads both (and {type: cnn} as well as {"type": "cnn"})
            doc = YAML.readValue(text, SpecDocument.class);
        } catch (UnrecognizedPropertyException e) {
            String path = path(e);
            List<String> known = path.startsWith("optimizer.") ? OptimizerDocument.KEYS
                    : path.startsWith("conv[") ? ConvDocument.KEYS : SpecDocument.KEYS;
            throw new IllegalArgumentException("model spec: unknown key '" + path + "' (known: "
                    + String.join(", ", known) + ")", e);
        } catch (MismatchedInputException e) {
            String path = path(e);
            String expected = expectedKind(e.getTargetType());
            throw new IllegalArgumentException(path.equals("(root)") ? "model spec: must be " + expected
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

    private static ImageModelSpec toSpec(SpecDocument doc) {
        if (doc.type() == null) {
            throw new IllegalArgumentException("model spec: 'type' is required (cnn, resnet)");
        }
        Activation activation = doc.activation() == null ? Activation.RELU
                : parse(Activation.class, doc.activation(), "activation");
        OptimizerSpec optimizer = doc.optimizer() == null ? OptimizerSpec.sgd() : toOptimizer(doc.optimizer());
        return switch (doc.type()) {
            case CnnSpec.TYPE -> {
                rejectForType("type " + CnnSpec.TYPE, "width", doc.width());
                rejectForType("type " + CnnSpec.TYPE, "blocks", doc.blocks());
                if (doc.conv() == null) {
                    throw new IllegalArgumentException("model spec: 'conv' is required for type cnn, like"
                            + " [{channels: 6, kernel: 5, pool: max}]");
                }
                List<ConvLayer> conv = new ArrayList<>();
                for (int i = 0; i < doc.conv().size(); i++) {
                    conv.add(toConv(doc.conv().get(i), i));
                }
                yield new CnnSpec(conv, doc.dense(), activation, optimizer);
            }
            case ResNetSpec.TYPE -> {
                rejectForType("type " + ResNetSpec.TYPE, "conv", doc.conv());
                rejectForType("type " + ResNetSpec.TYPE, "dense", doc.dense());
                if (doc.width() == null) {
                    throw new IllegalArgumentException("model spec: 'width' is required for type resnet");
                }
                yield new ResNetSpec(doc.width(), doc.blocks(), activation, optimizer);
            }
            default -> throw new IllegalArgumentException("model spec: 'type' must be one of cnn, resnet for an image"
                    + " model, got '" + doc.type() + "'");
        };
    }

    private static ConvLayer toConv(ConvDocument c, int index) {
        String at = "conv[" + index + "]";
        if (c == null) {
            throw new IllegalArgumentException("model spec: '" + at + "' is empty");
        }
        if (c.channels() == null) {
            throw new IllegalArgumentException("model spec: '" + at + ".channels' is required");
        }
        if (c.kernel() == null) {
            throw new IllegalArgumentException("model spec: '" + at + ".kernel' is required");
        }
        PoolType pool = c.pool() == null ? PoolType.NONE : parse(PoolType.class, c.pool(), at + ".pool");
        if (pool == PoolType.NONE && (c.poolSize() != null || c.poolStride() != null)) {
            throw new IllegalArgumentException("model spec: '" + at + ".pool_size' and '" + at
                    + ".pool_stride' apply only with pool max or avg");
        }
        int size = c.poolSize() == null ? (pool == PoolType.NONE ? 1 : 2) : c.poolSize();
        int stride = c.poolStride() == null ? size : c.poolStride();
        try {
            return new ConvLayer(c.channels(), c.kernel(), c.stride() == null ? 1 : c.stride(),
                    c.padding() == null ? 0 : c.padding(), pool, size, stride);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model spec: '" + at + "': " + e.getMessage(), e);
        }
    }

    private static OptimizerSpec toOptimizer(OptimizerDocument o) {
        return OptimizerSpec.fromKeys(o.type(), o.momentum(), o.beta1(), o.beta2(), o.epsilon());
    }

    private static void rejectForType(String type, String key, Object value) {
        if (value != null) {
            throw new IllegalArgumentException("model spec: '" + key + "' does not apply to " + type);
        }
    }

    static <E extends Enum<E>> E parse(Class<E> type, String value, String field) {
        List<String> known = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            String key = e.name().toLowerCase(Locale.ROOT);
            if (key.equals(value)) {
                return e;
            }
            known.add(key);
        }
        throw new IllegalArgumentException("model spec: '" + field + "' must be one of " + String.join(", ", known)
                + ", got '" + value + "'");
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
            return "a list";
        }
        if (target == ConvDocument.class) {
            return "a mapping like {channels: 6, kernel: 5}";
        }
        if (target == OptimizerDocument.class) {
            return "a mapping like {type: sgd, momentum: 0.9}";
        }
        return "a mapping with keys " + String.join(", ", SpecDocument.KEYS);
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

    static String toJson(Map<String, Object> map) {
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write model spec as JSON", e);
        }
    }
}
