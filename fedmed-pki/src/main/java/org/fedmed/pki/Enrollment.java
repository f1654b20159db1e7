package org.fedmed.pki;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;

/**
 * What adding a site did: the certificate it got, the kit written for it, and the server-kit files that now admit
 * it. A running server admits the site once it re-reads {@code sitesList}, within {@code crl_reload_seconds}.
 *
 * @param federation the federation
 * @param site       the new site
 * @param serial     its certificate's serial number
 * @param validity   its certificate's validity
 * @param cutByCa    whether the validity asked for was cut short to end with the CA's
 * @param kit        the new site's startup kit, to copy to the site
 * @param sitesList  the server kit's sites list, which now names the site
 * @param manifest   the updated manifest
 * @param files      every file written or replaced, relative to the federation directory
 */
public record Enrollment(String federation, String site, BigInteger serial, Validity validity, boolean cutByCa,
                         Path kit, Path sitesList, Path manifest, List<Path> files) {

    public Enrollment {
        files = List.copyOf(files);
    }
}
