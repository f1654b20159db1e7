package org.fedmed.pki;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class ServerAddressTest {

    @Test
    void parsesDnsNamesIpv4AndBracketedIpv6() {
        assertEquals(new ServerAddress("fl.example.org", 8443), ServerAddress.parse("fl.example.org:8443"));
        assertEquals(new ServerAddress("10.0.0.1", 1), ServerAddress.parse("10.0.0.1:1"));
        ServerAddress v6 = ServerAddress.parse("[2001:db8::1]:443");
        assertEquals("2001:db8::1", v6.host());
        assertEquals("[2001:db8::1]:443", v6.toString());
        assertEquals(v6, ServerAddress.parse(v6.toString()));
        assertTrue(v6.isIpAddress());
        assertFalse(ServerAddress.parse("fl.example.org:1").isIpAddress());
    }

    @Test
    void malformedAddressesNameTheText() {
        String[] malformed = {"fl.example.org", "host:0", "host:70000", "host:abc", "::1:80", "bad_host!:80", ":80"};
        for (String bad : malformed) {
            ProvisioningException e = assertThrows(ProvisioningException.class, () -> ServerAddress.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void loopbackIsRecognizedWithoutResolvingNames() {
        assertTrue(ServerAddress.parse("localhost:1").isLoopback());
        assertTrue(ServerAddress.parse("127.0.0.1:1").isLoopback());
        assertTrue(ServerAddress.parse("127.1.2.3:1").isLoopback());
        assertTrue(ServerAddress.parse("[::1]:1").isLoopback());
        assertFalse(ServerAddress.parse("[::10]:1").isLoopback());
        assertFalse(ServerAddress.parse("10.0.0.1:1").isLoopback());
        assertFalse(ServerAddress.parse("fl.example.org:1").isLoopback());
    }
}
