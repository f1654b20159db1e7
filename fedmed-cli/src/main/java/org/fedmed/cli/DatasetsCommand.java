package org.fedmed.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.data.registry.DatasetStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedmed datasets}: the datasets fedmed knows, and whether each is present on this machine. */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        subcommands = {DatasetsValidateCommand.class, DatasetsDescribeCommand.class},
        description = {"Lists the datasets fedmed knows and whether each is present (with checksums verified).",
                "Looks in $FEDMED_DATA, then ~/.cache/fedmed.",
                "'datasets validate DEF.yaml' checks a definition's files; 'datasets describe' prints a definition."})
final class DatasetsCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, description = "Also print licence, citation, URL and where each was found.")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DatasetRegistry registry = DatasetRegistry.fromEnvironment();
        out.println("search path: " + registry.searchRoots());
        out.printf("%-26s %-18s %-8s %s%n", "dataset", "status", "sites", "description");
        for (DatasetStatus s : registry.list()) {
            var e = s.definition();
            String sites = switch (e.sites()) {
                case org.fedmed.data.definition.SiteLayout.FilePerSite f -> String.valueOf(f.sites().size());
                case org.fedmed.data.definition.SiteLayout.SiteColumn c -> "column";
                case org.fedmed.data.definition.SiteLayout.Partitioned p -> "split";
            };
            out.printf("%-26s %-18s %-8s %s%n", e.name(), s.availability().name().toLowerCase(), sites, e.description());
            if (verbose || s.availability() != org.fedmed.data.registry.Availability.PRESENT) {
                if (s.detail() != null && !s.detail().isBlank()) {
                    out.println("    " + s.detail().replace("\n", "\n    "));
                }
            }
            if (verbose) {
                out.println("    licence: " + e.licence());
                out.println("    source:  " + e.url());
                out.println("    cite:    " + e.citation());
            }
        }
        out.flush();
        return 0;
    }
}
