package piranha.pulse;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;
import picocli.CommandLine.Option;
import piranha.daemon.ControlSockets;

/**
 * pulse's command line: Piranha's options and the extensions (pulse/README.md, "Command line").
 * A picocli mixin of {@link PulseMain}; the declaration order is the order of the help text.
 */
final class PulseOptions {
    private static final Logger LOG = Logger.getLogger("pulse");

    @Option(names = {"-c", "--configfile"}, paramLabel = "FILE", description = "lvs.cf (default ${DEFAULT-VALUE})")
    Path configFile = Path.of("/etc/sysconfig/ha/lvs.cf");

    @Option(names = {"-n", "--nodaemon"}, description = "stay in the foreground and log to stdout")
    boolean foreground;

    @Option(names = {"-t", "--test-start", "--norun"}, description = "log the actions, perform none")
    boolean testStart;

    @Option(names = {"-v", "--verbose"}, description = "debug logging (passed on to lvsd)")
    boolean verbose;

    @Option(names = "--forceactive", description = "become active at start")
    boolean forceActive;

    @Option(names = "--lvsd", paramLabel = "PATH", description = "lvsd program (default: the bundled bin/lvsd)")
    String lvsdProgram;

    @Option(names = "--fos", paramLabel = "PATH", hidden = true,
            description = "fos program: accepted for Piranha's command lines; FOS mode is not supported")
    String fosProgram;

    @Option(names = "--control-socket", paramLabel = "PATH",
            description = "control socket: status, reload, sync (default ${DEFAULT-VALUE})")
    Path controlSocket = ControlSockets.PULSE;

    @Option(names = "--lvsd-control-socket", paramLabel = "PATH",
            description = "where lvsd is told to listen: its readiness, reload (default ${DEFAULT-VALUE})")
    Path lvsdSocket = ControlSockets.LVSD;

    @Option(names = "--control-group", paramLabel = "GROUP",
            description = "give this group (the configuration tool's) read-write access to pulse's and lvsd's control sockets")
    String controlGroup;

    @Option(names = "--metrics", paramLabel = "off|PORT|ADDRESS:PORT",
            description = "serve Prometheus metrics there (/metrics); overrides pulse_metrics (default 127.0.0.1:9539)")
    String metrics;

    @Option(names = "--pidfile", paramLabel = "PATH",
            description = "pid file written without -n, removed at exit (default ${DEFAULT-VALUE})")
    Path pidFile = Path.of("/var/run/pulse.pid");

    @Option(names = "--release",
            description = "remove lvs.cf's floating addresses (VIPs, NAT routers) a killed pulse left on this host, then exit (systemd's ExecStopPost); refused while a pulse answers on the control socket")
    boolean release;

    @Option(names = "--version", versionHelp = true, description = "print the version and exit")
    boolean version;

    @Option(names = {"-?", "-h", "--help", "--usage"}, usageHelp = true, description = "show this help")
    boolean help;

    /**
     * Drops --control-group when the group does not exist: a director keeps its service without the
     * tool's access, so neither pulse nor lvsd may fail for it.
     */
    void dropMissingControlGroup() {
        if (controlGroup != null && !groupExists(controlGroup)) {
            LOG.warning("group " + controlGroup + " does not exist: the control sockets stay root's (mode 0600)");
            controlGroup = null;
        }
    }

    /** The lvsd program pulse starts: --lvsd, else the bundled one. */
    String lvsd() {
        return lvsdProgram != null ? lvsdProgram : bundledLvsd();
    }

    private static boolean groupExists(String group) {
        try {
            java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** bin/lvsd of the checkout or installation this pulse runs from. */
    private static String bundledLvsd() {
        String root = System.getenv("PIRANHA_ROOT");
        if (root != null) return Path.of(root, "bin", "lvsd").toString();
        try {
            Path jar = Path.of(PulseOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // ROOT/pulse/target/pulse.jar (or target/classes) -> ROOT/bin/lvsd
            Path candidate = jar.getParent().getParent().getParent().resolve("bin").resolve("lvsd");
            if (Files.isExecutable(candidate)) return candidate.toString();
        } catch (URISyntaxException | NullPointerException | SecurityException e) {
            // fall through to the installed path
        }
        return "/usr/sbin/lvsd";
    }
}
