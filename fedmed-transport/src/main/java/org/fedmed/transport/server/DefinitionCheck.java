package org.fedmed.transport.server;

import java.util.Optional;
import org.fedmed.transport.DefinitionReport;

/**
 * The server's admission check of a site's dataset definition, made on Hello after its certificate was admitted:
 * the reason to refuse the site (naming the first column that differs), or empty to admit it. A site that reports
 * no definition is given {@code null}. Implementations must be thread-safe and quick.
 */
@FunctionalInterface
public interface DefinitionCheck {

    /** Admits every site, whatever it reports (a server without a dataset definition of its own). */
    DefinitionCheck NONE = report -> Optional.empty();

    /** Why a site reporting {@code report} (null: none) is refused, or empty to admit it. */
    Optional<String> refusal(DefinitionReport report);
}
