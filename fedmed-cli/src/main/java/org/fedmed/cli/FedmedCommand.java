package org.fedmed.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fedmed} command: federated learning for healthcare, where no patient record leaves its site. */
@Command(name = "fedmed", mixinStandardHelpOptions = true, versionProvider = FedmedCommand.VersionProvider.class,
        description = "Federated learning for healthcare: sites keep their data, a coordinator runs rounds.",
        subcommands = {SimulateCommand.class, TuneCommand.class, DatasetsCommand.class, AnalyticsCommand.class, ProvisionCommand.class,
                PrivacyCommand.class, TradeoffCommand.class, BenchmarkCommand.class, ServerCommand.class,
                SiteCommand.class, ExportCommand.class, PredictCommand.class, RunsCommand.class, DashboardCommand.class,
                CommandLine.HelpCommand.class})
public final class FedmedCommand implements Runnable {

    /** The JDK's format property: a user who sets it keeps the JDK's formatter with that format. */
    private static final String LOG_FORMAT = "java.util.logging.SimpleFormatter.format";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line with fedmed's error handling: one clear line per user error, no stack trace. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new FedmedCommand());
        HelpText.reflow(cl);
        // A mistyped flag or value: the reason and where the options are listed, not the whole usage text.
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine line = ex.getCommandLine();
            PrintWriter err = line.getErr();
            err.println("error: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Try '" + line.getCommandSpec().qualifiedName() + " --help' for its options.");
            err.flush();
            return line.getCommandSpec().exitCodeOnInvalidInput();
        });
        cl.setExecutionExceptionHandler((ex, line, parseResult) -> {
            PrintWriter err = line.getErr();
            err.println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            if (System.getenv("FEDMED_DEBUG") != null) {
                ex.printStackTrace(err);
            }
            err.flush();
            // a user's error (a bad flag or config, or data not where fedmed looks) is 2; any other failure 1
            return ex instanceof IllegalArgumentException
                    || ex instanceof org.fedmed.data.registry.DatasetNotFoundException ? 2 : 1;
        });
        return cl;
    }

    public static void main(String[] args) {
        if (System.getProperty(LOG_FORMAT) == null && System.getProperty("java.util.logging.config.file") == null
                && System.getProperty("java.util.logging.config.class") == null) {
            // one line per record, no stack traces, unless the user configured logging or asked to debug
            ConsoleLogFormatter console = new ConsoleLogFormatter(System.getenv("FEDMED_DEBUG") != null);
            for (java.util.logging.Handler h : java.util.logging.Logger.getLogger("").getHandlers()) {
                h.setFormatter(console);
            }
        }
        System.exit(commandLine().execute(args));
    }

    /** Reports the version stamped into the jar. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"fedmed " + org.fedmed.sim.Version.current()};
        }
    }
}
