package org.fedmed.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Ports for servers that tests start later, in another process or after writing the port into a kit or config. A port
 * the kernel hands out for {@code new ServerSocket(0)} comes from the ephemeral range, which is also where every
 * outgoing connection's local port comes from; a site, a browser or another test that dials in the meantime can take
 * it before the server binds it. The ports here come from below that range, so no outgoing connection takes one, and
 * each is free on loopback when it is handed out.
 */
public final class ListenPorts {

    /** Seeded by the process id, so that test JVMs running side by side draw different sequences. */
    private static final SplittableRandom RANDOM = new SplittableRandom(ProcessHandle.current().pid());

    private ListenPorts() {
    }

    /** A port in [10000, the ephemeral range's first port) that nothing listens on now on loopback. */
    public static int free() {
        return free(10_000, Math.max(10_001, ephemeralStart()));
    }

    /** A port in [from, below) that nothing listens on now on loopback, drawn at random. */
    static synchronized int free(int from, int below) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = from + RANDOM.nextInt(below - from);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // in use by something else: try another
            }
        }
        throw new UncheckedIOException(new IOException(
                "no free port in " + from + "-" + (below - 1) + " after 200 tries"));
    }

    /** The first port of Linux's ephemeral range, or IANA's 49152 where that cannot be read. */
    static int ephemeralStart() {
        try {
            // Read by line: on some kernels a whole-file read of a /proc file stops after its first bytes.
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).getFirst().trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 49152;
        }
    }
}
