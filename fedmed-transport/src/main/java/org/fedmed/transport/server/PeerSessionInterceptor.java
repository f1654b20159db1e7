package org.fedmed.transport.server;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.SocketAddress;
import javax.net.ssl.SSLSession;

/** Makes a call's TLS session and remote address visible to the service method, which admits sites from them. */
final class PeerSessionInterceptor implements ServerInterceptor {

    static final Context.Key<SSLSession> SSL_SESSION = Context.key("fedmed-ssl-session");
    static final Context.Key<SocketAddress> REMOTE_ADDRESS = Context.key("fedmed-remote-address");

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                       ServerCallHandler<Q, A> next) {
        Context context = Context.current()
                .withValue(SSL_SESSION, call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION))
                .withValue(REMOTE_ADDRESS, call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        return Contexts.interceptCall(context, call, headers, next);
    }
}
