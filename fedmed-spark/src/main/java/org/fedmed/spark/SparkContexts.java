package org.fedmed.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
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

    static {
        QUIET.forEach(l -> l.setLevel(java.util.logging.Level.WARNING));
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

    /** The class-path entries that hold fedmed classes, as jars an executor can load. */
    static List<String> applicationJars() {
        List<String> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            try {
                if (Files.isDirectory(p) && Files.isDirectory(p.resolve("org/fedmed"))) {
                    jars.add(packed(p).toString());
                } else if (Files.isRegularFile(p) && entry.endsWith(".jar") && holdsFedmed(p)) {
                    jars.add(p.toAbsolutePath().toString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not ship class-path entry " + p + " to the cluster", e);
            }
        }
        return jars;
    }

    private static boolean holdsFedmed(Path jar) throws IOException {
        try (JarFile f = new JarFile(jar.toFile())) {
            return f.getEntry("org/fedmed/") != null || f.stream().anyMatch(e -> e.getName().startsWith("org/fedmed/"));
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
