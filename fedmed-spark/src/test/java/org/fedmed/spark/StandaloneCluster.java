package org.fedmed.spark;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedmed.data.ListenPorts;

/**
 * A Spark standalone cluster on 127.0.0.1 made of the Maven jars alone: a Master and one Worker, each its own JVM,
 * with a {@code SPARK_HOME} folder holding an empty {@code RELEASE} file and links to every Spark dependency jar
 * (what the Worker puts on its executors' class path). {@link #close()} stops both, and every executor the Worker
 * started, forcibly if they do not stop within a few seconds. The Worker runs each application's executor in
 * {@code workDir()/app-ID/N/} (its {@code stderr} and the jars it fetched), which is how a test tells that a job ran
 * on the cluster. Shared with the command line's tests through this module's test jar.
 */
public final class StandaloneCluster implements AutoCloseable {

    private final List<Process> processes = new ArrayList<>();
    private final String master;
    private final Path workDir;

    private StandaloneCluster(Path dir, int cores) throws IOException, InterruptedException {
        Path home = dir.resolve("spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        Files.writeString(home.resolve("RELEASE"), "");
        List<String> classPath = new ArrayList<>();
        for (String entry : testClassPath()) {
            Path p = Path.of(entry);
            if (Files.isRegularFile(p) && entry.endsWith(".jar") && !p.getFileName().toString().startsWith("fedmed-")) {
                Path link = jars.resolve(p.getFileName());
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, p.toAbsolutePath());
                }
                classPath.add(p.toAbsolutePath().toString());
            }
        }
        String cp = String.join(File.pathSeparator, classPath);
        int port = ListenPorts.free();
        master = "spark://127.0.0.1:" + port;
        workDir = Files.createDirectories(dir.resolve("work"));
        try {
            start(dir, home, "master", cp, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                    Integer.toString(port), "--webui-port", Integer.toString(ListenPorts.free()));
            awaitLine(dir.resolve("master.log"), "I have been elected leader", Duration.ofSeconds(60));
            start(dir, home, "worker", cp, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores",
                    Integer.toString(cores), "--memory", "2g", "--webui-port", Integer.toString(ListenPorts.free()),
                    "--work-dir", workDir.toString(), master);
            awaitLine(dir.resolve("worker.log"), "Successfully registered with master", Duration.ofSeconds(60));
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts a master and a worker with {@code cores} cores under {@code dir}; waits until the worker registered. */
    public static StandaloneCluster start(Path dir, int cores) throws IOException, InterruptedException {
        return new StandaloneCluster(dir, cores);
    }

    /** The master's URL, {@code spark://127.0.0.1:PORT}. */
    public String masterUrl() {
        return master;
    }

    /** The Worker's work folder: one {@code app-ID/} folder per application it ran executors for. */
    public Path workDir() {
        return workDir;
    }

    private void start(Path dir, Path home, String name, String cp, String main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", cp, main));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        processes.add(pb.start());
    }

    private void awaitLine(Path log, String line, Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a cluster process exited with " + p.exitValue() + " before '" + line
                            + "'; its log " + log + ":\n" + (Files.exists(log) ? Files.readString(log) : ""));
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no '" + line + "' in " + log + " within " + timeout.toSeconds() + " s:\n"
                + (Files.exists(log) ? Files.readString(log) : "(no log)"));
    }

    /** The test JVM's real class path (surefire puts it in a property and runs from a manifest-only jar). */
    static List<String> testClassPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return List.of(cp.split(File.pathSeparator));
    }

    /** Stops the worker (and its executors), then the master; waits for each, forcibly after 10 s. */
    @Override
    public void close() {
        for (Process p : processes.reversed()) {
            List<ProcessHandle> children = p.descendants().toList();
            p.destroy();
            try {
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            for (ProcessHandle c : children) {
                c.destroyForcibly();
            }
        }
        processes.clear();
    }
}
