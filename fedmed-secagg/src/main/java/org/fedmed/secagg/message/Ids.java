package org.fedmed.secagg.message;

/** Checks shared by the message records. */
final class Ids {

    private Ids() {
    }

    static void check(int id, String field) {
        if (id < 1) {
            throw new IllegalArgumentException(field + " must be a client id >= 1, got " + id);
        }
    }

    static byte[] copyOfLength(byte[] bytes, int length, String field) {
        if (bytes == null || bytes.length != length) {
            throw new IllegalArgumentException(field + " must be " + length + " bytes, got "
                    + (bytes == null ? "none" : bytes.length));
        }
        return bytes.clone();
    }
}
