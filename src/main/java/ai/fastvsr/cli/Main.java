package ai.fastvsr.cli;

import ai.fastvsr.failure.Failure;
import ai.fastvsr.worker.Logging;
import ai.fastvsr.worker.Offline;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar fastvsr-worker.jar <command>}: the one entry point of the jar. */
@Command(
        name = "fastvsr-worker",
        mixinStandardHelpOptions = true,
        versionProvider = VersionInfo.class,
        description = "4x video super-resolution worker: Kafka jobs in, S3 objects and CloudEvents out.",
        subcommands = {
            DemoCommand.class,
            ServeCommand.class,
            WorkerCommand.class,
            UpscaleCommand.class,
            BenchCommand.class,
            BuildEngineCommand.class,
            SubmitCommand.class,
            WatchCommand.class
        })
public final class Main {
    public static void main(String[] args) {
        Logging.configure();
        Offline.enforce();
        System.exit(run(args));
    }

    /** Runs a command without exiting the JVM (for tests). */
    public static int run(String... args) {
        Offline.enforce();
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(Main::report)
                .execute(args);
    }

    /** A failure the user can act on, in one line; the stack trace only with FASTVSR_DEBUG set. */
    private static int report(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        if (e instanceof Failure failure) {
            cmd.getErr().printf("error [%s]: %s%n", failure.code(), failure.getMessage());
        } else {
            cmd.getErr().printf("error: %s%n", e.getMessage() != null ? e.getMessage() : e.toString());
        }
        if (System.getenv("FASTVSR_DEBUG") != null) {
            e.printStackTrace(cmd.getErr());
        }
        return 1;
    }
}
