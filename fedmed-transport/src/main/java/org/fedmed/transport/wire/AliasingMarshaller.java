package org.fedmed.transport.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.HasByteBuffer;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.fedmed.transport.proto.Chunk;

/**
 * Parses the stream's messages without copying a model chunk's float data more than the wire requires. gRPC's own
 * protobuf marshaller parses with a {@link CodedInputStream} that copies every {@code bytes} field out of the
 * transport's buffers, one extra copy of every model that crosses the wire, on both ends, and for a chunk of 1 MiB
 * an allocation of its own that the garbage collector treats as humongous. Serialization is left to the wrapped
 * marshaller, so the bytes on the wire are unchanged; message size limits are still enforced by gRPC before a
 * message reaches {@link #parse}.
 *
 * <p>Two ways of parsing, chosen per message:
 * <ul>
 *   <li><b>In place</b>, for a message whose only field is the envelope's {@link Chunk} (the one field of the message
 *       type whose type is {@code Chunk}): when gRPC hands over its direct network buffers ({@link HasByteBuffer}),
 *       the chunk's {@code data} points into them. gRPC releases those buffers when the call's listener returns
 *       from {@code onMessage}, so <b>a chunk's data is valid only until the stream handler that received it
 *       returns</b>: the handlers decode it into the model's float vector there ({@link ModelAssembler}) and keep
 *       nothing of it.</li>
 *   <li><b>Into an array of its own</b>, for every other message (headers, exchange pieces, which are kept across
 *       messages), for a message whose buffers gRPC does not expose, and for a would-be chunk that turns out to carry
 *       other fields too: the message is read once into a new array and its {@code bytes} fields point into that
 *       array, which nothing writes to after parsing, so they stay valid for as long as they are kept.</li>
 * </ul>
 *
 * @param <T> the message type
 */
public final class AliasingMarshaller<T extends Message> implements MethodDescriptor.PrototypeMarshaller<T> {

    private final MethodDescriptor.PrototypeMarshaller<T> wrapped;
    private final Parser<T> parser;
    /** The field of type {@link Chunk} parsed in place, or null when the message type has none. */
    private final FieldDescriptor chunkField;
    /** The tag a message whose first field is {@link #chunkField} starts with. */
    private final int chunkTag;

    private AliasingMarshaller(MethodDescriptor.PrototypeMarshaller<T> wrapped) {
        this.wrapped = wrapped;
        @SuppressWarnings("unchecked")
        Parser<T> p = (Parser<T>) wrapped.getMessagePrototype().getParserForType();
        this.parser = p;
        // Only a field whose tag is one byte (numbers up to 15), so a message's first byte tells whether it is one.
        this.chunkField = wrapped.getMessagePrototype().getDescriptorForType().getFields().stream()
                .filter(f -> f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isRepeated()
                        && f.getMessageType().equals(Chunk.getDescriptor()) && f.getNumber() <= 15)
                .findFirst().orElse(null);
        this.chunkTag = chunkField == null ? -1
                : chunkField.getNumber() << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }

    /** {@code method} with both marshallers parsing by aliasing; the method must use protobuf marshallers. */
    public static <Q, R> MethodDescriptor<Q, R> aliasing(MethodDescriptor<Q, R> method) {
        return method.toBuilder(wrap(method.getRequestMarshaller(), method), wrap(method.getResponseMarshaller(), method))
                .build();
    }

    /** A client interceptor that makes every call it sees parse its responses by aliasing. */
    public static ClientInterceptor clientInterceptor() {
        return new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                return next.newCall(aliasing(method), options);
            }
        };
    }

    /** {@code service} with every method's requests parsed by aliasing; handlers and names unchanged. */
    public static ServerServiceDefinition aliasing(ServerServiceDefinition service) {
        ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(service.getServiceDescriptor().getName());
        for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
            add(b, m);
        }
        return b.build();
    }

    private static <Q, R> void add(ServerServiceDefinition.Builder b, ServerMethodDefinition<Q, R> m) {
        b.addMethod(aliasing(m.getMethodDescriptor()), m.getServerCallHandler());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <X> MethodDescriptor.Marshaller<X> wrap(MethodDescriptor.Marshaller<X> m, MethodDescriptor<?, ?> method) {
        if (m instanceof AliasingMarshaller<?>) {
            return m;
        }
        if (m instanceof MethodDescriptor.PrototypeMarshaller<?> p && p.getMessagePrototype() instanceof Message) {
            return (MethodDescriptor.Marshaller<X>) new AliasingMarshaller((MethodDescriptor.PrototypeMarshaller) p);
        }
        throw new IllegalArgumentException("method '" + method.getFullMethodName()
                + "' does not use a protobuf marshaller, got " + m.getClass().getName());
    }

    @Override
    public T getMessagePrototype() {
        return wrapped.getMessagePrototype();
    }

    @Override
    public Class<T> getMessageClass() {
        return wrapped.getMessageClass();
    }

    @Override
    public InputStream stream(T value) {
        return wrapped.stream(value);
    }

    @Override
    public T parse(InputStream stream) {
        try {
            if (chunkField != null && stream instanceof KnownLength && stream instanceof HasByteBuffer direct
                    && direct.byteBufferSupported() && stream.markSupported()) {
                T inPlace = parseInPlace(stream, direct);
                if (inPlace != null) {
                    return inPlace;
                }
            }
            return parseCopy(stream);
        } catch (InvalidProtocolBufferException e) {
            throw Status.INTERNAL.withDescription("invalid protobuf byte sequence").withCause(e).asRuntimeException();
        } catch (IOException e) {
            throw Status.INTERNAL.withDescription("cannot read a message: " + e.getMessage()).withCause(e)
                    .asRuntimeException();
        }
    }

    /**
     * Parses a chunk message over gRPC's own buffers, or returns null, with the stream rewound, when the message is
     * not one: it starts with another field, a buffer is not direct memory, or parsing shows other fields as well.
     */
    private T parseInPlace(InputStream stream, HasByteBuffer direct) throws IOException {
        int size = stream.available();
        if (size == 0) {
            return null;
        }
        stream.mark(size); // read buffers are kept, not released, until the stream is reset or closed
        List<ByteString> pieces = new ArrayList<>();
        int left = size;
        boolean chunk = true;
        while (left > 0) {
            ByteBuffer b = direct.getByteBuffer();
            if (b == null || !b.isDirect() || !b.hasRemaining() || b.remaining() > left) {
                chunk = false;
                break;
            }
            if (pieces.isEmpty() && (b.get(b.position()) & 0xff) != chunkTag) {
                chunk = false;
                break;
            }
            int n = b.remaining();
            pieces.add(UnsafeByteOperations.unsafeWrap(b));
            if (stream.skip(n) != n) {
                throw new IOException("message buffer shrank while it was read");
            }
            left -= n;
        }
        if (chunk) {
            T message = parseAliased(ByteString.copyFrom(pieces));
            if (message.hasField(chunkField) && message.getAllFields().size() == 1
                    && message.getUnknownFields().asMap().isEmpty()) {
                return message;
            }
        }
        stream.reset();
        return null;
    }

    private T parseCopy(InputStream stream) throws IOException {
        byte[] bytes;
        if (stream instanceof KnownLength) {
            int size = stream.available();
            bytes = new byte[size];
            // Straight into the one array; readNBytes(int) would read in small pieces and join them.
            if (stream.readNBytes(bytes, 0, size) != size || stream.read() != -1) {
                throw Status.INTERNAL.withDescription("message length changed while reading: " + size
                        + " bytes announced").asRuntimeException();
            }
        } else {
            bytes = stream.readAllBytes();
        }
        return parseAliased(UnsafeByteOperations.unsafeWrap(bytes));
    }

    /** Parses the whole of {@code bytes}, its {@code bytes} fields pointing into it rather than copied out. */
    private T parseAliased(ByteString bytes) throws InvalidProtocolBufferException {
        CodedInputStream in = bytes.newCodedInput();
        in.enableAliasing(true);
        in.setSizeLimit(Integer.MAX_VALUE);
        T message = parser.parseFrom(in, ExtensionRegistryLite.getEmptyRegistry());
        in.checkLastTagWas(0);
        return message;
    }
}
