package org.fedmed.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fedmed.data.definition.DefinitionReader;
import org.fedmed.data.profile.DatasetValidator;
import org.fedmed.data.registry.ChecksumMismatchException;
import org.fedmed.data.registry.DatasetNotFoundException;
import org.fedmed.data.registry.DatasetRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fedmed datasets validate DEF.yaml|NAME}: checks every file of a definition against it, streaming, and
 * prints a profile per site with small-cell suppression. Exit 0 when everything fits, 2 for a bad definition or a
 * file that does not fit (one line naming the file, line and column or key).
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Checks every file of a dataset definition against it and prints a profile per site:",
                "rows, class balance, missingness per column, numeric ranges, extreme values, empty columns.",
                "Counts below k are printed as <k. Exit 0 when every file fits, 2 otherwise."})
final class DatasetsValidateCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DEF", description = "A dataset definition file (.yaml), or a built-in dataset's name.")
    String definition;

    @Option(names = "--k", defaultValue = "5", description = "Smallest count printed as a number (default 5).")
    int k;

    @Override
    public Integer call() {
        if (k < 1) {
            throw new IllegalArgumentException("--k must be >= 1, got " + k);
        }
        PrintWriter out = spec.commandLine().getOut();
        DatasetRegistry registry = DatasetRegistry.fromEnvironment();
        try {
            var def = DatasetRegistry.isDefinitionPath(definition) ? DefinitionReader.read(Path.of(definition))
                    : registry.entry(definition);
            out.print(DatasetValidator.validate(registry.resolve(def)).render(k));
            out.flush();
            return 0;
        } catch (DatasetNotFoundException | ChecksumMismatchException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
