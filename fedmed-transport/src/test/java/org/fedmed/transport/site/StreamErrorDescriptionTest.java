package org.fedmed.transport.site;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Status;
import java.net.ConnectException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class StreamErrorDescriptionTest {

    @Test
    void aBrokenHandshakeIsOneLineWithTheCauseByItsSimpleName() {
        Status status = Status.UNAVAILABLE.withDescription("io exception\nChannel Pipeline: [SslHandler#0,"
                + " ProtocolNegotiators$ClientTlsHandler#0, WriteBufferingAndExceptionHandler#0]");
        assertEquals("UNAVAILABLE: io exception (SSLHandshakeException: General OpenSslEngine problem)",
                SiteSession.describe(status, new SSLHandshakeException("General OpenSslEngine problem")));
    }

    @Test
    void aRefusedConnectionAndAStatusWithoutDescriptionOrCause() {
        assertEquals("UNAVAILABLE: io exception (ConnectException: Connection refused: /127.0.0.1:7443)",
                SiteSession.describe(Status.UNAVAILABLE.withDescription("io exception"),
                        new ConnectException("Connection refused: /127.0.0.1:7443\n\tat somewhere")));
        assertEquals("CANCELLED", SiteSession.describe(Status.CANCELLED, null));
    }
}
