package piranha.gui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import io.vertx.core.Vertx;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import piranha.daemon.ControlSockets;
import piranha.daemon.Logs;
import piranha.daemon.SysconfigFile;
import piranha.gui.auth.PasswordFile;
import piranha.gui.config.ConfigStore;
import piranha.gui.web.GuiServer;
import piranha.lvscf.HostResolver;
import piranha.lvscf.LvsCfFiles;

/**
 * {@code piranha-gui}: the configuration tool's web server. Settings come from the command line,
 * then /etc/sysconfig/piranha-gui, then the defaults.
 */
@Command(name = "piranha-gui", mixinStandardHelpOptions = true, version = "piranha-gui 0.1",
        description = "The Piranha configuration tool: a web server for lvs.cf (default http://127.0.0.1:3636/).")
public final class GuiMain implements Callable<Integer> {
    private static final Logger LOG = Logger.getLogger(GuiMain.class.getName());
    static final Path SETTINGS = Path.of("/etc/sysconfig/piranha-gui");

    @Option(names = {"-c", "--lvs-cf"}, paramLabel = "LVS_CF", description = "lvs.cf to edit (default " + "/etc/sysconfig/ha/lvs.cf)")
    Path lvsCf;
    @Option(names = "--passwd-file", paramLabel = "FILE", description = "password file written by piranha-passwd")
    Path passwdFile;
    @Option(names = "--port", paramLabel = "N", description = "TCP port (default 3636)")
    Integer port;
    @Option(names = "--bind", paramLabel = "ADDR", description = "address to listen on (default 127.0.0.1; 0.0.0.0 for all)")
    String bind;
    @Option(names = "--tls-cert", paramLabel = "PEM", description = "certificate chain: serve HTTPS")
    Path tlsCert;
    @Option(names = "--tls-key", paramLabel = "PEM", description = "private key of --tls-cert")
    Path tlsKey;
    @Option(names = "--pulse-socket", paramLabel = "PATH", description = {"pulse's control socket;", "default " + ControlSockets.PULSE_DEFAULT})
    Path pulseSocket;
    @Option(names = "--lvsd-socket", paramLabel = "PATH", description = {"lvsd's control socket;", "default " + ControlSockets.LVSD_DEFAULT})
    Path lvsdSocket;
    @Option(names = "--idle-timeout", paramLabel = "MINUTES", description = "log out after this long without a request (default 15)")
    Integer idleMinutes;
    @Option(names = "--refresh", paramLabel = "SECONDS", description = "default update period of CONTROL/MONITORING (default 10)")
    Integer refresh;
    @Option(names = "--settings", paramLabel = "FILE", description = "settings file (default /etc/sysconfig/piranha-gui)")
    Path settingsFile = SETTINGS;
    @Option(names = {"-n", "--nodaemon"}, description = "log to standard output instead of syslog")
    boolean foreground;
    @Option(names = {"-v", "--verbose"}, description = "log more")
    boolean verbose;

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new GuiMain());
        cl.setParameterExceptionHandler((ex, a) -> {
            System.err.println("piranha-gui: " + ex.getMessage());
            ex.getCommandLine().usage(System.err);
            return 2;
        });
        int rc = cl.execute(args);
        if (rc != 0) {
            System.exit(rc);
        }
    }

    /** The effective settings; a problem an operator must fix is an IllegalArgumentException. */
    GuiSettings settings() throws IOException {
        SysconfigFile file = SysconfigFile.read(settingsFile);
        Path cf = pick(lvsCf, file.get("LVS_CF").map(Path::of), LvsCfFiles.DEFAULT);
        Path pw = pick(passwdFile, file.get("PASSWD_FILE").map(Path::of), PasswordFile.DEFAULT);
        int p = pick(port, file.get("PORT").map(v -> number("PORT", v)), GuiSettings.DEFAULT_PORT);
        String b = pick(bind, file.get("BIND"), GuiSettings.DEFAULT_BIND);
        Path cert = pick(tlsCert, file.get("TLS_CERT").filter(s -> !s.isEmpty()).map(Path::of), null);
        Path key = pick(tlsKey, file.get("TLS_KEY").filter(s -> !s.isEmpty()).map(Path::of), null);
        Path ps = pick(pulseSocket, file.get("PULSE_SOCKET").map(Path::of), GuiSettings.DEFAULT_PULSE_SOCKET);
        Path ls = pick(lvsdSocket, file.get("LVSD_SOCKET").map(Path::of), GuiSettings.DEFAULT_LVSD_SOCKET);
        int idle = pick(idleMinutes, file.get("IDLE_TIMEOUT").map(v -> number("IDLE_TIMEOUT", v)), 15);
        int r = pick(refresh, file.get("REFRESH").map(v -> number("REFRESH", v)), GuiSettings.DEFAULT_REFRESH);
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("port " + p + " is not 0 to 65535");
        }
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("HTTPS needs both --tls-cert and --tls-key (TLS_CERT and TLS_KEY)");
        }
        if (idle < 1 || r < 1) {
            throw new IllegalArgumentException("--idle-timeout and --refresh must be at least 1");
        }
        return new GuiSettings(cf, pw, p, b, cert, key, ps, ls, Duration.ofMinutes(idle), r);
    }

    private static <T> T pick(T cli, Optional<T> file, T dflt) {
        return cli != null ? cli : file.orElse(dflt);
    }

    private static Integer number(String key, String v) {
        try {
            return Integer.valueOf(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + v + " in the settings file is not a number");
        }
    }

    @Override
    public Integer call() throws Exception {
        Logs.setUp("piranha-gui", foreground, verbose);
        GuiSettings s;
        try {
            s = settings();
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("piranha-gui: " + e.getMessage());
            return 2;
        }
        try {
            new PasswordFile(s.passwdFile()).storedHash();
        } catch (IOException e) {
            System.err.println("piranha-gui: refusing to start without a password: " + e.getMessage());
            return 1;
        }
        try {
            // Read once now: a file no lvs.cf can be stops the start with the reader's located error.
            new ConfigStore(s.lvsCf(), HostResolver.SYSTEM).read();
        } catch (NoSuchFileException e) {
            System.err.println("piranha-gui: no configuration file " + s.lvsCf() + " (give one with -c FILE)");
            return 1;
        } catch (IOException e) {
            System.err.println("piranha-gui: " + e.getMessage());
            return 1;
        }
        try {
            for (Path stale : LvsCfFiles.removeStaleTemporaries(s.lvsCf())) {
                LOG.info("removed " + stale + ", left by a save that did not finish");
            }
        } catch (IOException e) {
            LOG.warning("cannot look for stale temporary files next to " + s.lvsCf() + ": " + e.getMessage());
        }
        for (Path tls : new Path[] {s.tlsCert(), s.tlsKey()}) {
            if (tls != null && !Files.isReadable(tls)) {
                System.err.println("piranha-gui: cannot read " + tls);
                return 1;
            }
        }
        Vertx vertx = Vertx.vertx();
        GuiServer server = new GuiServer(vertx, s, HostResolver.SYSTEM);
        int bound;
        try {
            bound = server.start().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("piranha-gui: cannot listen on " + s.bind() + ":" + s.port() + ": " + e.getMessage());
            vertx.close();
            return 1;
        }
        String url = (s.tls() ? "https://" : "http://") + s.bind() + ":" + bound + "/";
        LOG.info("piranha-gui listening on " + url + " editing " + s.lvsCf());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            vertx.close();
            stop.countDown();
        }, "shutdown"));
        stop.await();
        return 0;
    }
}
