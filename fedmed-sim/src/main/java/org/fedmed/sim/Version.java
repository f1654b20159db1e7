package org.fedmed.sim;

/** The fedmed version, as stamped in the jar manifest at build time (or "dev" when run from classes). */
public final class Version {
    private Version() {
    }

    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
