package org.fedmed.cli.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A {@code fedmed} command run as its own operating-system process (a separate JVM on this machine's test class
 * path), its output captured to a file. Tests use it to run the server and sites as a hospital would.
 */
final class FedmedProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private FedmedProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** The JVM options of a test's processes: a small heap, and the quick-starting C1 compiler only. */
    static final List<String> TEST_JVM = List.of("-Xmx512m", "-XX:TieredStopAtLevel=1");

    /** Starts {@code fedmed args...}, with its output (stdout and stderr) going to {@code logDir/name.log}. */
    static FedmedProcess start(String name, Path logDir, String... args) {
        return startMain(name, logDir, TEST_JVM, "org.fedmed.cli.FedmedCommand", args);
    }

    /** As {@link #start(String, Path, String...)}, with {@code jvmOptions} instead of {@link #TEST_JVM}. */
    static FedmedProcess start(String name, Path logDir, List<String> jvmOptions, String... args) {
        return startMain(name, logDir, jvmOptions, "org.fedmed.cli.FedmedCommand", args);
    }

    /**
     * Starts the main class {@code mainClass} of the test class path with {@code args} (a site process built from the
     * real site code with a test's fault in it, say), as {@link #start} starts {@code fedmed}.
     */
    static FedmedProcess startMain(String name, Path logDir, String mainClass, String... args) {
        return startMain(name, logDir, TEST_JVM, mainClass, args);
    }

    /** As {@link #startMain(String, Path, String, String...)}, with {@code jvmOptions} instead of {@link #TEST_JVM}. */
    static FedmedProcess startMain(String name, Path logDir, List<String> jvmOptions, String mainClass,
                                   String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("--sun-misc-unsafe-memory-access=allow");
        command.add("--enable-native-access=ALL-UNNAMED"); // as bin/fedmed runs it
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        Path log = logDir.resolve(name + ".log");
        try {
            Files.createDirectories(logDir);
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new FedmedProcess(name, p, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Waits until {@code text} appears in the output; fails, showing the output, if it does not in time. */
    void awaitOutput(String text, Duration timeout) throws InterruptedException {
        try {
            await(() -> output().contains(text), timeout, "'" + text + "' in the output of " + name);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; output so far:\n" + output(), e);
        }
    }

    /** Waits for the process to exit and returns its exit code; fails if it is still running after the timeout. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running after " + timeout + "; output:\n" + output());
        }
        return process.exitValue();
    }

    /** The CPU time the process has used so far, all its threads together; empty once it has exited. */
    java.util.Optional<Duration> cpuTime() {
        return process.info().totalCpuDuration();
    }

    /** The operating system's id of the process. */
    long pid() {
        return process.pid();
    }

    /** Asks the process to stop (SIGTERM), as an operator's {@code kill} or a service manager would. */
    void terminate() {
        process.destroy();
    }

    /** Sends {@code signal} (for example {@code STOP} or {@code CONT}) to the process, as {@code kill -SIGNAL} would. */
    void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** Kills the process at once (SIGKILL), as a crash or a power cut would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** Polls {@code condition} every 50 ms until it holds; fails naming {@code what} if it does not in time. */
    static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
