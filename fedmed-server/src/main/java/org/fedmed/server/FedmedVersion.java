package org.fedmed.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The fedmed version this module was built as, stamped into a resource at build time. Checkpoints and exported
 * models carry it so that a file can always be traced to the code that wrote it.
 */
public final class FedmedVersion {

    private static final String RESOURCE = "fedmed-version.properties";
    private static final String VERSION = load();

    private FedmedVersion() {
    }

    /** The version, for example {@code 0.1.0-SNAPSHOT}. */
    public static String current() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = FedmedVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource org/fedmed/server/" + RESOURCE
                        + " is missing from the classpath; the fedmed-server jar is incomplete");
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version");
            if (v == null || v.isBlank() || v.startsWith("${")) {
                throw new IllegalStateException("resource org/fedmed/server/" + RESOURCE
                        + " holds no resolved version (got '" + v + "'); build the module with Maven");
            }
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource org/fedmed/server/" + RESOURCE, e);
        }
    }
}
