package org.fedmed.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fedmed.server.export.ExportedModel;
import org.fedmed.server.export.ModelExporter;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStore;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedmed export}: writes a run's final model as safetensors, with a provenance file beside it. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes the final global model of a run (after its last recorded round) as a safetensors",
                "file that PyTorch and Hugging Face tools read, and <out>.provenance.json beside it; records the",
                "export (path and SHA-256) in the store, for the dashboard's downloads page."})
final class ExportCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    StoreSource source;
    @Option(names = "--run", paramLabel = "NAME", description = "The run's name (with --store; the latest run of that name).")
    String run;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the model (.safetensors).")
    Path out;

    @Override
    public Integer call() throws Exception {
        String name = run != null ? run : source.configuredRun().orElseThrow(() ->
                new IllegalArgumentException("option '--run' is required with --store"));
        Path db = source.database();
        PrintWriter stdout = spec.commandLine().getOut();
        try (RunStore store = RunStore.open(db)) {
            RunInfo info = store.latestRun(name).orElseThrow(() -> new IllegalArgumentException("no run named '"
                    + name + "' in " + store.database() + "; runs there: "
                    + store.runs().stream().map(RunInfo::name).distinct().toList()));
            ExportedModel model = ModelExporter.export(store, info.id(), out);
            stdout.printf("exported run '%s' (id %d, %s) after round %d to %s (sha256 %s); provenance in %s%n",
                    info.name(), info.id(), info.status().dbValue(), model.round(), model.model(), model.sha256(),
                    model.provenance());
        }
        stdout.flush();
        return 0;
    }
}
