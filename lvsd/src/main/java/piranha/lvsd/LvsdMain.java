package piranha.lvsd;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import piranha.lvscf.LvsCfFiles;
import piranha.lvscf.model.Backend;

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

    @Option(names = "--backend", paramLabel = "auto|ipvsadm|userspace",
            description = "Table backend; overrides the backend key of lvs.cf.")
    String backend;

    @Option(names = "--control-socket", paramLabel = "PATH", description = "Control socket (default ${DEFAULT-VALUE}).")
    Path controlSocket = LvsdOptions.DEFAULT_SOCKET;

    @Option(names = "--control-group", paramLabel = "GROUP",
            description = "Give this group (e.g. piranha, the GUI's) read-write access to the control socket.")
    String controlGroup;

    @Option(names = "--metrics-port", paramLabel = "PORT", description = "Serve Prometheus metrics on 127.0.0.1:PORT (as --metrics PORT).")
    int metricsPort;

    @Option(names = "--metrics", paramLabel = "off|PORT|ADDRESS:PORT",
            description = "Serve Prometheus metrics there (/metrics); overrides lvsd_metrics (default 127.0.0.1:9540).")
    String metrics;

    @Option(names = "--reconcile-interval", paramLabel = "SECONDS",
            description = "Re-read the table this often and repair changes made behind lvsd's back (default ${DEFAULT-VALUE}; 0: never).")
    int reconcileSeconds = 30;

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
        Backend b = null;
        if (backend != null) {
            try {
                b = Backend.valueOf(backend.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                System.err.println("lvsd: --backend takes auto, ipvsadm or userspace, not '" + backend + "'");
                return 2;
            }
        }
        piranha.lvscf.model.Listen at = null;
        if (metrics != null) {
            try {
                at = piranha.lvscf.model.Listen.parse(metrics);
            } catch (IllegalArgumentException e) {
                System.err.println("lvsd: --metrics: " + e.getMessage());
                return 2;
            }
        } else if (metricsPort > 0) {
            at = new piranha.lvscf.model.Listen("127.0.0.1", metricsPort);
        }
        LvsdOptions options = new LvsdOptions(configFile, b, controlSocket, testStart, metricsPort,
                Duration.ofSeconds(Math.max(0, reconcileSeconds)), controlGroup, at);
        return LvsdDaemon.run(options, nodaemon, verbose);
    }

    public static void main(String[] args) {
        QuickCheck quick = QuickCheck.of(args);
        if (quick != null) {
            System.exit(ConfigCheck.run(quick.file(), quick.dump(), System.out, System.err));
        }
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
