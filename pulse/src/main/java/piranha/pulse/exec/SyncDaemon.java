package piranha.pulse.exec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;
import piranha.pulse.config.PulseConfig;

/**
 * syncdaemon = 1: runs the kernel's IPVS connection-sync daemon as master on the active director and as
 * backup on the standby, through ipvsadm (Piranha's commands). Only meaningful with the ipvsadm backend.
 */
public final class SyncDaemon {
    private static final Logger LOG = Logger.getLogger("pulse");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final CommandRunner runner;
    private final PulseConfig cfg;
    private final boolean applies;

    public SyncDaemon(CommandRunner runner, PulseConfig cfg) {
        this.runner = runner;
        this.cfg = cfg;
        boolean ipvs = switch (cfg.backend()) {
            case "ipvsadm" -> true;
            case "auto" -> Files.exists(Path.of("/proc/net/ip_vs"));
            default -> false;
        };
        this.applies = cfg.syncDaemon() && ipvs;
        if (cfg.syncDaemon() && !ipvs) {
            LOG.warning("syncdaemon = 1 does not apply: no IPVS in this kernel or backend = " + cfg.backend()
                    + " (the user-space backend has no connection sync)");
        }
    }

    public static List<List<String>> commands(PulseConfig cfg, String role) {
        return List.of(
                List.of(cfg.ipvsadm(), "--stop-daemon", "backup"),
                List.of(cfg.ipvsadm(), "--stop-daemon", "master"),
                List.of(cfg.ipvsadm(), "--start-daemon", role, "--mcast-interface", cfg.syncdIface(),
                        "--syncid", Integer.toString(cfg.syncdId())));
    }

    /** role: "master" or "backup". */
    public void become(String role) {
        if (!applies) return;
        for (List<String> argv : commands(cfg, role)) {
            CommandRunner.Result r = runner.run(argv, TIMEOUT);
            // stopping a daemon that is not running fails; only the start matters
            if (!r.ok() && argv.get(1).equals("--start-daemon")) {
                LOG.warning(cfg.ipvsadm() + " command failed! (" + String.join(" ", argv) + "): " + r.output());
            }
        }
    }
}
