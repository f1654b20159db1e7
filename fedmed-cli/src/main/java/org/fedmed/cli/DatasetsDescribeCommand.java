package org.fedmed.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.fedmed.data.definition.DefinitionDescription;
import org.fedmed.data.registry.DatasetRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code fedmed datasets describe DEF.yaml|NAME}: a definition's columns, label, sites and split. Reads no data. */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = {"Prints a dataset definition's columns, label, sites and split (reads no data file).",
                "Exit 2 for a definition that does not parse."})
final class DatasetsDescribeCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DEF", description = "A dataset definition file (.yaml), or a built-in dataset's name.")
    String definition;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(DefinitionDescription.render(DatasetRegistry.fromEnvironment().definition(definition)));
        out.flush();
        return 0;
    }
}
