package org.fedmed.config;

/** A configuration file or flag that cannot be used; the message names the file and key. */
public class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) {
        super(message);
    }
}
