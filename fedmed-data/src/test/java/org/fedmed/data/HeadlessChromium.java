package org.fedmed.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium}, headless, for tests that check what a page really shows: {@link #dumpDom} returns the
 * DOM after the page ran (up to 3 s of virtual time), {@link #screenshot} saves a PNG. Each call gets a fresh
 * profile under the folder given, so calls do not share state. When chromium is missing the call fails, never
 * skips, naming the package to install ({@code .ci/run} installs it).
 *
 * <p>{@link #offline()} gives a browser with the network cut: every request, loopback included, is sent to a proxy
 * on 127.0.0.1 that this class holds and that answers none (it reads the request line, records it in
 * {@link #requests()} and closes the connection), so nothing a page asks for can load. Chromium's own background
 * services (update checks, accounts) are cut the same way and show up in {@link #requests()} too.
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");

    private final Path work;
    private final DeadEnd deadEnd;

    private HeadlessChromium(Path work, DeadEnd deadEnd) {
        this.work = work;
        this.deadEnd = deadEnd;
    }

    /** A browser with the network as the machine has it (for a page served on 127.0.0.1); scratch files in {@code work}. */
    public static HeadlessChromium online(Path work) {
        return new HeadlessChromium(work, null);
    }

    /** A browser whose every request goes to a dead end; scratch files in {@code work}. */
    public static HeadlessChromium offline(Path work) {
        return new HeadlessChromium(work, new DeadEnd());
    }

    /** The chromium executable; fails the test when there is none. */
    public static Path executable() {
        for (String p : CANDIDATES) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        throw new AssertionError("chromium is not installed at " + CANDIDATES
                + " (apt-get install -y chromium; .ci/run does it)");
    }

    /** The DOM of {@code url} as chromium serializes it after the page ran. */
    public String dumpDom(String url) {
        return run(url, "--dump-dom");
    }

    /** Saves a screenshot of {@code url} to {@code file} (replacing it) and returns it. */
    public Path screenshot(String url, Path file) {
        Path shot = file.toAbsolutePath();
        try {
            Files.createDirectories(shot.getParent());
            Files.deleteIfExists(shot);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare screenshot file " + shot + ": " + e.getMessage(), e);
        }
        run(url, "--screenshot=" + shot);
        if (!Files.isRegularFile(shot)) {
            throw new AssertionError("chromium wrote no screenshot to " + shot + " for " + url);
        }
        return shot;
    }

    /** Offline only: the first line of every request that reached the dead end so far, in arrival order. */
    public List<String> requests() {
        if (deadEnd == null) {
            throw new IllegalStateException("requests are recorded only by an offline browser");
        }
        return List.copyOf(deadEnd.requests);
    }

    private String run(String url, String mode) {
        try {
            List<String> cmd = new ArrayList<>(List.of(executable().toString(), "--headless", "--no-sandbox",
                    "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + Files.createTempDirectory(Files.createDirectories(work), "chromium"),
                    "--window-size=1000,1400", "--virtual-time-budget=3000"));
            if (deadEnd != null) {
                cmd.add("--proxy-server=http://127.0.0.1:" + deadEnd.port());
                cmd.add("--proxy-bypass-list=<-loopback>");
            }
            cmd.add(mode);
            cmd.add(url);
            Path out = work.resolve("chromium-" + System.nanoTime() + ".out");
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("chromium did not finish within 60 s: " + cmd);
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run chromium on " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while chromium loaded " + url, e);
        }
    }

    @Override
    public void close() {
        if (deadEnd != null) {
            deadEnd.close();
        }
    }

    /** A proxy that answers nothing: it records each request line and hangs up. */
    private static final class DeadEnd implements AutoCloseable {
        final List<String> requests = new CopyOnWriteArrayList<>();
        final ServerSocket socket;

        DeadEnd() {
            try {
                socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the dead-end proxy on 127.0.0.1: " + e.getMessage(), e);
            }
            Thread.ofVirtual().name("chromium-dead-end").start(this::serve);
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    s.setSoTimeout(1000);
                    requests.add(firstLine(s.getInputStream()));
                } catch (IOException e) {
                    if (socket.isClosed()) {
                        return;
                    }
                    requests.add("(unreadable request: " + e.getMessage() + ")");
                }
            }
        }

        private static String firstLine(InputStream in) throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n' && b.length() < 2000; c = in.read()) {
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close the dead-end proxy: " + e.getMessage(), e);
            }
        }
    }
}
