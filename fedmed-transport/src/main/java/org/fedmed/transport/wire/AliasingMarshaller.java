package org.fedmed.transport.wire;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;

/**
 * Parses the stream's messages so that their {@code bytes} fields (a chunk's float data) point into the one array
 * the message was read into, rather than being copied out of it again: gRPC's own protobuf marshaller parses with
 * a {@link CodedInputStream} that copies every {@code bytes} field, one extra copy of every model that crosses the
 * wire, on both ends. Serialization is left to the wrapped marshaller, so the bytes on the wire are unchanged;
 * message size limits are still enforced by gRPC before a message reaches {@link #parse}. Each message gets an
 * array of its own that nothing writes to after parsing, so the aliased fields are immutable as protobuf requires.
 *
 * @param <T> the message type
 */
public final class AliasingMarshaller<T extends Message> implements MethodDescriptor.PrototypeMarshaller<T> {

    private final MethodDescriptor.PrototypeMarshaller<T> wrapped;
    private final Parser<T> parser;

    private AliasingMarshaller(MethodDescriptor.PrototypeMarshaller<T> wrapped) {
        this.wrapped = wrapped;
        @SuppressWarnings("unchecked")
        Parser<T> p = (Parser<T>) wrapped.getMessagePrototype().getParserForType();
        this.parser = p;
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
            CodedInputStream in = UnsafeByteOperations.unsafeWrap(bytes).newCodedInput();
            in.enableAliasing(true);
            in.setSizeLimit(Integer.MAX_VALUE);
            T message = parser.parseFrom(in, ExtensionRegistryLite.getEmptyRegistry());
            in.checkLastTagWas(0);
            return message;
        } catch (InvalidProtocolBufferException e) {
            throw Status.INTERNAL.withDescription("invalid protobuf byte sequence").withCause(e).asRuntimeException();
        } catch (IOException e) {
            throw Status.INTERNAL.withDescription("cannot read a message: " + e.getMessage()).withCause(e)
                    .asRuntimeException();
        }
    }
}
