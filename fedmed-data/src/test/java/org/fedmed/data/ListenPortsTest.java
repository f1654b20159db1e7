package org.fedmed.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class ListenPortsTest {

    @Test
    void aPortIsBelowTheEphemeralRangeAndCanBeBoundOnLoopback() throws IOException {
        int start = ListenPorts.ephemeralStart();
        for (int i = 0; i < 20; i++) {
            int port = ListenPorts.free();
            assertTrue(port >= 10_000 && port < start, port + " outside [10000, " + start + ")");
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertTrue(s.isBound());
            }
        }
    }

    @Test
    void aPortThatIsListenedOnIsNeverHandedOut() throws IOException {
        int first = ListenPorts.free();
        int other = first + 1;
        try (ServerSocket held = new ServerSocket(first, 1, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 50; i++) {
                assertEquals(other, ListenPorts.free(first, other + 1));
            }
        }
    }
}
