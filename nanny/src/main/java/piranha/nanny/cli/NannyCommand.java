package piranha.nanny.cli;

import io.vertx.core.Vertx;
import java.util.logging.Logger;
import piranha.daemon.Logs;
import piranha.nanny.Nanny;
import piranha.nanny.NannyConfig;
import piranha.nanny.NannyMain;
import piranha.nanny.check.Check;
import piranha.nanny.check.CheckEnvironment;
import piranha.nanny.check.CheckResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Piranha's nanny command line (short and long options exactly as Piranha's popt table). */
@Command(name = "nanny", sortOptions = false,
        description = "Checks one real server of an LVS virtual service and reports (or applies) its state.")
public final class NannyCommand {
    private static final Logger log = Logger.getLogger("piranha.nanny");

    @Option(names = {"-h", "--server"}, required = true, paramLabel = "IP", description = "real server address")
    String server;
    @Option(names = {"-p", "--port"}, defaultValue = "80", description = "virtual port (default: ${DEFAULT-VALUE})")
    int port;
    @Option(names = {"-r", "--rport"}, description = "real server port to check (default: the virtual port)")
    Integer rport;
    @Option(names = {"-V", "--virtaddress"}, defaultValue = "0.0.0.0", paramLabel = "VIP", description = "virtual IP")
    String vip;
    @Option(names = {"-f", "--fwmark"}, defaultValue = "0", description = "firewall mark of the service")
    int fwmark;
    @Option(names = {"-t", "--interval"}, defaultValue = "10", paramLabel = "SECONDS",
            description = "check interval and check timeout (default: ${DEFAULT-VALUE})")
    int interval;
    @Option(names = {"-a", "--reentrytime"}, paramLabel = "SECONDS",
            description = "seconds of good checks before a failed server returns (default: 180; --fos: the interval)")
    Integer reentry;
    @Option(names = {"-w", "--weight"}, defaultValue = "1", description = "weight (default: ${DEFAULT-VALUE})")
    int weight;
    @Option(names = {"-S", "--scale"}, defaultValue = "10", description = "maximum weight multiplier with -U")
    int scale;
    @Option(names = {"-M", "--method"}, defaultValue = "m", description = "m (NAT), g (direct) or i (tunnel)")
    String method;
    @Option(names = {"-I", "--ipvsadm"}, defaultValue = "/sbin/ipvsadm", paramLabel = "PATH", description = "ipvsadm")
    String ipvsadm;
    @Option(names = {"-U", "--loadcmd"}, defaultValue = "none", paramLabel = "CMD",
            description = "load command: none, rup, ruptime, rsh, ssh or a program")
    String loadcmd;
    @Option(names = {"-s", "--send_string"}, paramLabel = "STRING", description = "send after connecting")
    String send;
    @Option(names = {"-x", "--expect_string"}, paramLabel = "STRING", description = "expected reply, or *")
    String expect;
    @Option(names = {"-e", "--send_program"}, paramLabel = "PROGRAM", description = "external check (%%h, %%p)")
    String sendProgram;
    @Option(names = "--regex", description = "the expect string is a regular expression")
    boolean regex;
    @Option(names = {"-T", "--suppress"}, description = "do not translate backslash escapes")
    boolean suppress;
    @Option(names = {"-q", "--quiesce_server"}, description = "weight 0 instead of removal on failure")
    boolean quiesce;
    @Option(names = {"-u", "--udp"}, description = "UDP checks")
    boolean udp;
    @Option(names = {"-n", "--nodaemon"}, description = "log to stdout as 'nanny: ...'")
    boolean nodaemon;
    @Option(names = {"-c", "--nofork"}, description = "accepted for compatibility; nanny always runs in the foreground")
    boolean nofork;
    @Option(names = {"--test-start", "--norun"}, description = "do not run ipvsadm")
    boolean testStart;
    @Option(names = {"-v", "--verbose"}, description = "log every check")
    boolean verbose;
    @Option(names = "--lvs", description = "LVS mode")
    boolean lvs;
    @Option(names = "--fos", description = "failover-service mode: exit on the first failed check")
    boolean fos;
    @Option(names = "--help", usageHelp = true, description = "show this help")
    boolean help;

    /** @throws IllegalArgumentException naming the bad value */
    public NannyConfig toConfig() {
        if (lvs == fos) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    lvs ? "--lvs and --fos exclude each other" : "unknown service type: give --lvs or --fos");
        }
        if (!isIpLiteral(server)) {
            throw new IllegalArgumentException("-h: '" + server + "' is not an IP address");
        }
        return NannyConfig.builder(server, port)
                .rport(rport == null ? port : rport)
                .vip(vip)
                .fwmark(fwmark)
                .protocol(udp ? NannyConfig.Protocol.UDP : NannyConfig.Protocol.TCP)
                .send(send)
                .expect(expect)
                .useRegex(regex)
                .sendProgram(sendProgram)
                .timeout(interval)
                .reentry(reentry != null ? reentry : fos ? interval : 180)
                .quiesceServer(quiesce)
                .loadMonitor(loadcmd)
                .weight(weight)
                .scale(scale)
                .method(NannyConfig.Method.parse(method))
                .translateEscapes(!suppress)
                .build();
    }

    static boolean isIpLiteral(String s) {
        if (s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            for (String part : s.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return false;
                }
            }
            return true;
        }
        return s.indexOf(':') >= 0 && s.matches("[0-9A-Fa-f:.]+");
    }

    /** Runs until killed; returns an exit status only when the loop ends on its own (--fos). */
    public int run(NannyConfig config) {
        String logsGo = Logs.setUp("nanny", nodaemon, verbose);
        log.fine(logsGo);
        if (sendProgram != null && send != null) {
            log.info("External program use requested; IGNORING send string");
        }
        Vertx vertx = Vertx.vertx();
        CheckEnvironment env = CheckEnvironment.create(vertx);
        if (fos) {
            return runFos(vertx, env, config);
        }
        boolean apply = !testStart;
        IpvsadmApplier applier = apply
                ? new IpvsadmApplier(vertx, env.programs(), new IpvsadmCommands(ipvsadm, config)) : null;
        Nanny nanny = new Nanny(env, config, v -> {
            if (applier != null) {
                applier.apply(v);
            }
        });
        Signals.install(nanny);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            nanny.stop();
            if (applier != null) {
                applier.removeOnExit();
            }
        }, "nanny-exit"));
        nanny.start();
        NannyMain.park(vertx);
        return 0;
    }

    /** FOS: probe the partner's service every interval; the first failure ends nanny with status 1. */
    private int runFos(Vertx vertx, CheckEnvironment env, NannyConfig config) {
        Check check = piranha.nanny.check.Checks.forConfig(config, env);
        log.info("starting FOS client monitor for " + config.realServer());
        while (true) {
            long started = System.nanoTime();
            CheckResult r = check.run().toCompletionStage().toCompletableFuture().join();
            if (!r.healthy()) {
                log.info((r.logLine() != null ? r.logLine() : r.reason()));
                log.info("[inactive] shutting down " + config.realServer() + " due to connection failure");
                vertx.close();
                return 1;
            }
            long sleepMs = config.timeoutDuration().toMillis() - (System.nanoTime() - started) / 1_000_000;
            if (sleepMs > 0) {
                try {
                    Thread.sleep(sleepMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 1;
                }
            }
        }
    }
}
