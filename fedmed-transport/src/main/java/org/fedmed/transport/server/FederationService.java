package org.fedmed.transport.server;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.net.SocketAddress;
import org.fedmed.transport.proto.FederationGrpc;
import org.fedmed.transport.proto.ServerMessage;
import org.fedmed.transport.proto.SiteMessage;

/** The gRPC service: every stream a site opens becomes a {@link SiteLink} of the pool. */
final class FederationService extends FederationGrpc.FederationImplBase {

    private final GrpcSitePool pool;

    FederationService(GrpcSitePool pool) {
        this.pool = pool;
    }

    @Override
    public StreamObserver<SiteMessage> connect(StreamObserver<ServerMessage> responses) {
        ServerCallStreamObserver<ServerMessage> call = (ServerCallStreamObserver<ServerMessage>) responses;
        call.disableAutoRequest();
        SocketAddress remote = PeerSessionInterceptor.REMOTE_ADDRESS.get();
        SiteLink link = pool.newLink(call, PeerSessionInterceptor.SSL_SESSION.get(),
                remote == null ? "unknown" : remote.toString());
        link.start();
        return link;
    }
}
