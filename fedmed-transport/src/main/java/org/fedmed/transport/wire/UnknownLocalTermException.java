package org.fedmed.transport.wire;

/**
 * A fit names a local term, or a version of one, that this build does not implement: the site refuses the task with
 * this message, which names the term and its version, and never trains the fit without the term.
 */
public final class UnknownLocalTermException extends IllegalArgumentException {

    private final String term;
    private final int version;

    public UnknownLocalTermException(String term, int version) {
        super("the fit asks for local term '" + term + "' version " + Integer.toUnsignedString(version)
                + ", which this site does not know; it trains no fit without its local terms");
        this.term = term;
        this.version = version;
    }

    /** The term's name as the fit sent it. */
    public String term() {
        return term;
    }

    /** The term's version as the fit sent it (a wire uint32). */
    public int version() {
        return version;
    }
}
