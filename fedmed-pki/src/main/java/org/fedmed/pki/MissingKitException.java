package org.fedmed.pki;

import java.nio.file.Path;

/**
 * A process was pointed at a startup kit that is not there: the folder does not exist, or it holds no
 * {@code server.yaml}/{@code site.yaml}. The process's own config names the folder, so whoever read that config
 * adds where it came from with {@link #namedBy}, and the user sees which file and key to fix.
 */
public final class MissingKitException extends ProvisioningException {

    @java.io.Serial
    private static final long serialVersionUID = 1L;

    private final Path directory;

    public MissingKitException(Path directory, String message) {
        super(message);
        this.directory = directory;
    }

    private MissingKitException(Path directory, String message, MissingKitException cause) {
        super(message, cause);
        this.directory = directory;
    }

    /** The kit folder that was looked for. */
    public Path directory() {
        return directory;
    }

    /**
     * This error prefixed with the config file and key that named the kit folder, as
     * {@code site.yaml: key 'kit': no startup kit at ...}.
     */
    public MissingKitException namedBy(Path configFile, String key) {
        return new MissingKitException(directory, configFile + ": key '" + key + "': " + getMessage(), this);
    }
}
