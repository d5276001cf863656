package piranha.lvsd;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import piranha.lvscf.LvsCfFiles;

/** Entry point of {@code lvsd}, with Piranha's options. */
@Command(name = "lvsd", sortOptions = false, usageHelpAutoWidth = true,
        description = "Turns lvs.cf into the director's IPVS table and runs one nanny per real server.")
public final class LvsdMain implements Callable<Integer> {

    @Option(names = {"-c", "--configfile"}, paramLabel = "FILE", description = "lvs.cf to read (default ${DEFAULT-VALUE}).")
    Path configFile = LvsCfFiles.DEFAULT;

    @Option(names = "--check", description = "Check the configuration, print every error and warning, and exit.")
    boolean check;

    @Option(names = "--dump", description = "With --check: print the effective configuration as JSON on stdout.")
    boolean dump;

    @Option(names = {"-n", "--nodaemon"}, description = "Stay in the foreground and log to stdout.")
    boolean nodaemon;

    @Option(names = "--nofork", description = "Stay in the foreground, log to syslog (how pulse starts lvsd).")
    boolean nofork;

    @Option(names = {"-t", "--test-start", "--norun"}, description = "Log what would be done; change nothing.")
    boolean testStart;

    @Option(names = {"-v", "--verbose"}, description = "Debug logging.")
    boolean verbose;

    @Option(names = "--version", versionHelp = true, description = "Print the version and exit.")
    boolean version;

    @Option(names = {"-?", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public Integer call() {
        if (check) {
            return ConfigCheck.run(configFile, dump, System.out, System.err);
        }
        if (dump) {
            System.err.println("lvsd: --dump goes with --check");
            return 2;
        }
        System.err.println("lvsd: the table daemon is not available in this build yet; use lvsd --check");
        return 1;
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new LvsdMain());
        cl.getCommandSpec().version(Versions.line("lvsd"));
        cl.setParameterExceptionHandler((ex, a) -> {
            System.err.println("lvsd: " + ex.getMessage());
            ex.getCommandLine().usage(System.err);
            return 2;
        });
        System.exit(cl.execute(args));
    }
}
