package org.fedmed.data;

/**
 * Input data or a schema does not have the expected form. The message always names the source (a file or
 * a schema), and for cell-level problems also the line and the column, so a data steward can find and fix
 * the offending value.
 */
public class DataFormatException extends IllegalArgumentException {

    /** A problem described in full by {@code message}. */
    public DataFormatException(String message) {
        super(message);
    }

    /** A problem described in full by {@code message}, caused by {@code cause}. */
    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A problem with one cell: the message reads {@code "<source> line <line>, column '<column>': <problem>"}. */
    public static DataFormatException atCell(String source, long line, String column, String problem) {
        return new DataFormatException(source + " line " + line + ", column '" + column + "': " + problem);
    }

    /** A problem with one whole line: the message reads {@code "<source> line <line>: <problem>"}. */
    public static DataFormatException atLine(String source, long line, String problem) {
        return new DataFormatException(source + " line " + line + ": " + problem);
    }
}
