package org.fedmed.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Opens the Spark context a run simulates on, from its master URL alone: {@code local[N]} runs embedded in this JVM
 * with N worker threads; {@code spark://HOST:PORT} runs the same job on a standalone cluster, whose executors get
 * the fedmed classes shipped with the application (every class-path entry holding {@code org/fedmed}, folders packed
 * into jars first). The web UI is off; a master on the loopback address binds the driver there too. Nothing else
 * differs between the two: the same job, the same partitions, the same fold.
 */
public final class SparkContexts {

    /**
     * Spark's loggers at warnings, for a JVM whose SLF4J binding is java.util.logging (the command line's); held here
     * because java.util.logging keeps its loggers only weakly.
     */
    private static final List<java.util.logging.Logger> QUIET = List.of("org.apache.spark", "org.sparkproject",
            "org.apache.hadoop", "io.netty").stream().map(java.util.logging.Logger::getLogger).toList();

    /**
     * Hadoop's note that its native library is missing, at errors only: Spark falls back to Java code for what a
     * batch job here uses, so the warning says nothing a user acts on.
     */
    private static final java.util.logging.Logger NATIVE_HADOOP =
            java.util.logging.Logger.getLogger("org.apache.hadoop.util.NativeCodeLoader");

    static {
        QUIET.forEach(l -> l.setLevel(java.util.logging.Level.WARNING));
        NATIVE_HADOOP.setLevel(java.util.logging.Level.SEVERE);
    }

    private SparkContexts() {
    }

    /** The embedded master for {@code threads} worker threads. */
    public static String local(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("spark threads must be >= 1, got " + threads);
        }
        return "local[" + threads + "]";
    }

    /**
     * A context on {@code master}.
     *
     * @throws IllegalArgumentException if the master is neither {@code local[N]} nor {@code spark://HOST:PORT}
     */
    public static JavaSparkContext open(String master, String appName) {
        SparkConf conf = new SparkConf().setMaster(checkedMaster(master)).setAppName(appName)
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false");
        if (master.startsWith("local") || loopback(master)) {
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        }
        if (master.startsWith("spark://")) {
            conf.setJars(applicationJars().toArray(String[]::new));
        }
        JavaSparkContext context = new JavaSparkContext(conf);
        context.setLogLevel("WARN");
        return context;
    }

    static String checkedMaster(String master) {
        if (master == null || !(master.matches("local\\[([1-9][0-9]*|\\*)]") || master.matches("spark://[^/:]+:[0-9]+"))) {
            throw new IllegalArgumentException("spark master must be local[N] or spark://HOST:PORT, got '" + master + "'");
        }
        return master;
    }

    private static boolean loopback(String master) {
        String host = URI.create(master).getHost();
        return "127.0.0.1".equals(host) || "localhost".equals(host);
    }

    /**
     * The class-path entries that hold fedmed classes, as jars an executor can load: those of
     * {@code java.class.path}, and of the {@code Class-Path} of any jar's manifest there (a launcher that puts one
     * manifest-only jar on the class path, as Maven's test runner does, names the real entries only in it).
     */
    static List<String> applicationJars() {
        List<String> jars = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty()) {
                collect(Path.of(entry), jars, seen);
            }
        }
        return jars;
    }

    private static void collect(Path entry, List<String> jars, Set<Path> seen) {
        Path p = entry.toAbsolutePath().normalize();
        if (!seen.add(p)) {
            return;
        }
        try {
            if (Files.isDirectory(p) && Files.isDirectory(p.resolve("org/fedmed"))) {
                jars.add(packed(p).toString());
            } else if (Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar")) {
                try (JarFile f = new JarFile(p.toFile())) {
                    if (f.getEntry("org/fedmed/") != null
                            || f.stream().anyMatch(e -> e.getName().startsWith("org/fedmed/"))) {
                        jars.add(p.toString());
                    }
                    Manifest m = f.getManifest();
                    String classPath = m == null ? null : m.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
                    if (classPath != null) {
                        for (String ref : classPath.trim().split("\\s+")) {
                            if (!ref.isEmpty()) {
                                collect(Path.of(p.toUri().resolve(ref)), jars, seen);
                            }
                        }
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("could not ship class-path entry " + p + " to the cluster: "
                    + e.getMessage(), e);
        }
    }

    /** A class folder packed into a temporary jar (deleted when this JVM exits). */
    private static Path packed(Path dir) throws IOException {
        Path jar = Files.createTempFile("fedmed-classes-", ".jar");
        jar.toFile().deleteOnExit();
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                j.putNextEntry(new JarEntry(dir.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
        return jar;
    }
}
