package org.fedmed.pki;

/**
 * A provisioning request or a kit on disk that cannot be used as it is: a bad name, a directory that
 * already exists, a missing or malformed kit file. The message names the field, file or site at fault and
 * says what was expected. It is an {@link IllegalArgumentException} because it is always the caller's input
 * (or files the caller pointed at) that is wrong, never a fault of the program.
 */
public class ProvisioningException extends IllegalArgumentException {

    @java.io.Serial
    private static final long serialVersionUID = 1L;

    public ProvisioningException(String message) {
        super(message);
    }

    public ProvisioningException(String message, Throwable cause) {
        super(message, cause);
    }
}
