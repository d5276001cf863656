package piranha.pulse;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import piranha.daemon.Logs;
import piranha.daemon.PidFile;
import piranha.daemon.ScriptUser;
import piranha.pulse.address.AddressPlan;
import piranha.pulse.address.Plumbing;
import piranha.pulse.config.ConfigStamp;
import piranha.pulse.config.LvsCfSource;
import piranha.pulse.config.PulseConfig;
import piranha.pulse.config.PulseConfigSource;
import piranha.pulse.heartbeat.HeartbeatCodec;
import piranha.pulse.lvsd.LvsdSupervisor;
import piranha.pulse.routing.ActiveActiveConfig;
import piranha.pulse.routing.ActiveActiveDirector;

/**
 * `pulse`: the heartbeat and failover daemon, with Piranha's options ({@link PulseOptions}). Reads and
 * checks lvs.cf, writes the pid file, and runs either the heartbeat pair ({@link DirectorAssembly}) or,
 * with director_mode = active_active, the routed director.
 */
@Command(name = "pulse", versionProvider = PulseMain.Version.class, sortOptions = false,
        description = "Heartbeat and failover daemon of an LVS director pair.")
public final class PulseMain implements Callable<Integer> {
    private static final Logger LOG = Logger.getLogger("pulse");
    static final String VERSION = "0.1.0";

    @Mixin
    PulseOptions opts = new PulseOptions();

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"pulse (piranha) " + VERSION};
        }
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new PulseMain());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            System.err.println("pulse: " + e.getMessage());
            return 1;
        });
        System.exit(cl.execute(args));
    }

    // pulse's start, for the status's uptime and since
    private final long startedNanos = System.nanoTime();
    private final java.time.Instant startedAt = java.time.Instant.now();

    @Override
    public Integer call() throws Exception {
        String where = Logs.setUp("pulse", opts.foreground, opts.verbose);
        LOG.fine(() -> "pulse " + VERSION + " " + where);
        if (opts.release) return Release.run(opts);
        if (opts.fosProgram != null) LOG.warning("--fos ignored: pulse runs the failover services (service = fos) itself");
        if (ActiveActiveConfig.requested(opts.configFile)) return activeActive();
        PulseConfig cfg;
        LvsCfSource.Loaded loaded;
        try {
            loaded = PreparedConfig.load(opts.configFile);
            cfg = loaded.config();
        } catch (PulseConfigSource.ConfigException e) {
            System.err.println("pulse: " + e.getMessage());
            return 1;
        }
        ConfigStamp stamp = loaded.stamp();
        if (!loaded.vipGroups().isEmpty()) return vipGroups(loaded);
        Node self = Node.of(cfg, piranha.pulse.address.LocalAddresses.all());
        if (!self.primary() && !cfg.hasBackup()) {
            LOG.info("BACKUP with backup_active = 0: pulse exiting");
            return 0;
        }
        if (cfg.backupActive() && cfg.backup() == null) {
            LOG.info("backup_active = 1 but no backup address set: running without a backup");
        }
        List<Plumbing> plan;
        HeartbeatCodec codec;
        ScriptUser scriptUser;
        try {
            plan = AddressPlan.of(cfg);
            if (cfg.vips().isEmpty()) throw new PulseConfigSource.ConfigException("no active lvs services defined");
            codec = HeartbeatSetup.codec(cfg, self, stamp);
            scriptUser = ScriptUser.of(cfg.extensions().scriptUser());
        } catch (IllegalArgumentException | PulseConfigSource.ConfigException | IOException e) {
            System.err.println("pulse: " + e.getMessage());
            return 1;
        }
        return underPidFile(() -> new DirectorAssembly(opts, startedNanos, startedAt).run(cfg, self, stamp, scriptUser, plan, codec));
    }

    /** Runs a director with pulse's pid file held (none in the foreground): 1 when it cannot be written. */
    private int underPidFile(java.util.concurrent.Callable<Integer> director) throws Exception {
        PidFile pid = null;
        if (!opts.foreground) {
            try {
                pid = PidFile.write(opts.pidFile);
            } catch (IOException e) {
                System.err.println("pulse: " + e.getMessage());
                return 1;
            }
        }
        try {
            return director.call();
        } finally {
            if (pid != null) pid.close();
        }
    }

    /** vip_group blocks: one heartbeat pair per group (GroupedDirector). */
    private int vipGroups(LvsCfSource.Loaded loaded) throws Exception {
        try {
            for (var g : piranha.pulse.group.VipGroups.split(loaded.config(), loaded.vipGroups())) {
                AddressPlan.of(g.config());
                HeartbeatSetup.codec(g.config(), Node.of(g.config(), piranha.pulse.address.LocalAddresses.all()), loaded.stamp());
            }
            ScriptUser.of(loaded.config().extensions().scriptUser());
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("pulse: " + e.getMessage());
            return 1;
        }
        return underPidFile(() -> new GroupedDirector(opts, startedNanos, startedAt, loaded).run());
    }

    /** director_mode = active_active: no heartbeat; routes announced through BIRD (piranha.pulse.routing). */
    private int activeActive() throws Exception {
        ActiveActiveConfig cfg;
        try {
            cfg = ActiveActiveConfig.load(opts.configFile);
        } catch (PulseConfigSource.ConfigException e) {
            System.err.println("pulse: " + e.getMessage());
            return 1;
        }
        opts.dropMissingControlGroup();
        return underPidFile(() -> new ActiveActiveDirector(cfg, new ActiveActiveDirector.Options(
                opts.configFile, opts.testStart, opts.controlSocket, opts.controlGroup, new LvsdSupervisor.Options(
                opts.lvsd(), opts.configFile, opts.foreground, opts.verbose, opts.lvsdSocket,
                cfg.lvsdReadyTimeout(), opts.controlGroup), opts.metrics)).run());
    }
}
