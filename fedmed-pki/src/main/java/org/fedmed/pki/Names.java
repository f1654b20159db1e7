package org.fedmed.pki;

import java.util.regex.Pattern;

/**
 * The names a federation accepts for itself and for its sites. A site name becomes the common name of the
 * site's certificate, a directory name and a file name, so it is restricted to lowercase letters, digits,
 * {@code -} and {@code _}, 1 to 64 characters. A federation name becomes the organization of every
 * certificate; it may also use uppercase letters and {@code .}.
 */
public final class Names {

    /** What a site name may contain, for messages and help texts. */
    public static final String SITE_NAME_RULE = "1-64 characters: lowercase letters, digits, '-' and '_'";
    /** What a federation name may contain, for messages and help texts. */
    public static final String FEDERATION_NAME_RULE =
            "1-64 characters: letters, digits, '-', '_' and '.', starting with a letter or digit";

    private static final Pattern SITE = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final Pattern FEDERATION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private Names() {
    }

    /** Whether {@code name} is a valid site name. */
    public static boolean isValidSiteName(String name) {
        return name != null && SITE.matcher(name).matches();
    }

    /** Returns {@code name} if it is a valid site name; otherwise throws, naming it and the rule. */
    public static String requireSiteName(String name) {
        if (!isValidSiteName(name)) {
            throw new ProvisioningException("invalid site name " + quote(name) + ": expected " + SITE_NAME_RULE);
        }
        return name;
    }

    /** Returns {@code name} if it is a valid federation name; otherwise throws, naming it and the rule. */
    public static String requireFederationName(String name) {
        if (name == null || !FEDERATION.matcher(name).matches()) {
            throw new ProvisioningException("invalid federation name " + quote(name) + ": expected "
                    + FEDERATION_NAME_RULE);
        }
        return name;
    }

    private static String quote(String s) {
        return s == null ? "(none)" : "'" + s + "'";
    }
}
