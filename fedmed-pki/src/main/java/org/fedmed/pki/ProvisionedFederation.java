package org.fedmed.pki;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a provisioning run put everything. All paths are absolute.
 *
 * @param directory   the federation directory
 * @param manifest    {@code federation.yaml}
 * @param caDirectory the CA folder, the only place holding {@code ca.key}; keep it offline
 * @param serverKit   the server's startup kit, to copy to the server machine
 * @param siteKits    each site's startup kit by site name, in provisioning order, to copy to that site
 * @param files       every file written, relative to {@code directory}, in the order written
 */
public record ProvisionedFederation(Path directory, Path manifest, Path caDirectory, Path serverKit,
                                    Map<String, Path> siteKits, List<Path> files) {

    public ProvisionedFederation {
        siteKits = Collections.unmodifiableMap(new LinkedHashMap<>(siteKits));
        files = List.copyOf(files);
    }
}
