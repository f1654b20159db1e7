package org.fedmed.pki;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FederationSpecTest {

    private static final ServerAddress SERVER = new ServerAddress("fl.example.org", 8443);

    @Test
    void badSiteNameIsRejectedByName() {
        for (String bad : List.of("Upper", "has space", "dot.ted", "", "x".repeat(65), "ünï")) {
            ProvisioningException e = assertThrows(ProvisioningException.class,
                    () -> FederationSpec.of("demo", SERVER, List.of("ok", bad)));
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        assertEquals(List.of("a-1", "b_2", "x".repeat(64)),
                FederationSpec.of("demo", SERVER, List.of("a-1", "b_2", "x".repeat(64))).sites());
    }

    @Test
    void repeatedSiteIsRejectedByName() {
        ProvisioningException e = assertThrows(ProvisioningException.class,
                () -> FederationSpec.of("demo", SERVER, List.of("a", "b", "a")));
        assertTrue(e.getMessage().contains("'a'") && e.getMessage().contains("more than once"), e.getMessage());
    }

    @Test
    void federationNeedsAValidNameAndAtLeastOneSite() {
        assertThrows(ProvisioningException.class, () -> FederationSpec.of("demo", SERVER, List.of()));
        ProvisioningException e = assertThrows(ProvisioningException.class,
                () -> FederationSpec.of("bad,name", SERVER, List.of("a")));
        assertTrue(e.getMessage().contains("'bad,name'"), e.getMessage());
    }

    @Test
    void certificatesMayNotOutliveTheCa() {
        ProvisioningException e = assertThrows(ProvisioningException.class, () -> new FederationSpec("demo", SERVER,
                List.of("a"), Duration.ofDays(10), Duration.ofDays(11), false));
        assertTrue(e.getMessage().contains("exceeds the CA validity"), e.getMessage());
    }

    @Test
    void loopbackNamesAreAddedForALocalHostOrOnRequest() {
        assertFalse(FederationSpec.of("demo", SERVER, List.of("a")).includesLoopbackNames());
        assertTrue(FederationSpec.of("demo", ServerAddress.parse("127.0.0.1:1"), List.of("a")).includesLoopbackNames());
        assertTrue(new FederationSpec("demo", SERVER, List.of("a"), Duration.ofDays(2), Duration.ofDays(1), true)
                .includesLoopbackNames());
    }
}
