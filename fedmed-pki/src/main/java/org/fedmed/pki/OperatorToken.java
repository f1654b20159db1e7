package org.fedmed.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The operator's token for the server's dashboard and metrics: 32 random bytes as 64 lower-case hex digits, written
 * owner-only to {@code operator.token} in the server kit at provisioning. {@link #matches} compares in constant
 * time, so a wrong guess says nothing about how much of it was right.
 *
 * @param value the token, 64 lower-case hex digits
 */
public record OperatorToken(String value) {

    /** The token's length in hex digits. */
    public static final int LENGTH = 64;

    public OperatorToken {
        if (value == null || !value.matches("[0-9a-f]{" + LENGTH + "}")) {
            throw new IllegalArgumentException("operator token must be " + LENGTH + " lower-case hex digits, got "
                    + (value == null ? "none" : value.length() + " characters"));
        }
    }

    /** A new token of 32 bytes from {@code random}. */
    public static OperatorToken generate(SecureRandom random) {
        byte[] b = new byte[LENGTH / 2];
        random.nextBytes(b);
        return new OperatorToken(HexFormat.of().formatHex(b));
    }

    /**
     * Reads {@code operator.token} from the server kit in {@code kitDirectory}.
     *
     * @throws ProvisioningException naming the file, if it is missing (a kit provisioned before tokens: add one with
     *                               a new provisioning or write 64 hex digits there, owner-only) or malformed
     */
    public static OperatorToken read(Path kitDirectory) {
        Path file = kitDirectory.resolve(KitLayout.OPERATOR_TOKEN);
        if (!Files.isRegularFile(file)) {
            throw new ProvisioningException(file + " is missing: the server kit holds no operator token. Provision"
                    + " the federation again, or write 64 random hex digits to that file (owner-only)");
        }
        try {
            return new OperatorToken(Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (IllegalArgumentException e) {
            throw new ProvisioningException(file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code presented} is this token, compared in time that does not depend on where they differ. */
    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    /** The token, hidden, so that it never lands in a log by accident. */
    @Override
    public String toString() {
        return "OperatorToken[hidden]";
    }
}
