package piranha.pulse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import piranha.daemon.ScriptUser;
import piranha.pulse.address.AddressPlan;
import piranha.pulse.address.LocalAddresses;
import piranha.pulse.address.Plumbing;
import piranha.pulse.config.LvsCfSource;
import piranha.pulse.config.PulseConfig;
import piranha.pulse.config.PulseConfigSource;
import piranha.pulse.heartbeat.HeartbeatCodec;

/** A checked lvs.cf and what pulse makes of it, ready to apply. */
record PreparedConfig(LvsCfSource.Loaded loaded, List<Plumbing> plan, Node self, HeartbeatCodec codec, ScriptUser user) {

    /**
     * Every check a reload makes before it applies a file: the addresses, the role on this host, the
     * key file, the script user, an unchanged service (lvs or fos). Also what a file from the partner must pass.
     *
     * @param runningFos whether the running configuration is service = fos
     */
    static PreparedConfig of(LvsCfSource.Loaded loaded, Path configFile, boolean runningFos)
            throws PulseConfigSource.ConfigException {
        PulseConfig cfg = loaded.config();
        PreparedConfig p;
        try {
            List<Plumbing> plan = AddressPlan.of(cfg);
            if (cfg.vips().isEmpty()) throw new PulseConfigSource.ConfigException("no active lvs services defined");
            Node self = Node.of(cfg, LocalAddresses.all());
            p = new PreparedConfig(loaded, plan, self, HeartbeatSetup.codec(cfg, self, loaded.stamp()),
                    ScriptUser.of(cfg.extensions().scriptUser()));
        } catch (IllegalArgumentException | IOException e) {
            throw new PulseConfigSource.ConfigException(e.getMessage());
        }
        if (!loaded.vipGroups().isEmpty()) {
            // one heartbeat per group instead of the pair's: a director changes its way of running only with a restart
            throw new PulseConfigSource.ConfigException(configFile + ": vip_group blocks take effect only with a restart of"
                    + " pulse (it runs one heartbeat for the pair)");
        }
        if (cfg.fos() != runningFos) {
            // lvsd or none, the heartbeat's magics: a director changes its kind only with a restart
            throw new PulseConfigSource.ConfigException(configFile + ": service = " + (cfg.fos() ? "fos" : "lvs")
                    + " changes only with a restart of pulse (it runs as service = " + (runningFos ? "fos" : "lvs") + ")");
        }
        return p;
    }

    static LvsCfSource.Loaded load(Path file) throws PulseConfigSource.ConfigException {
        if (!Files.isReadable(file)) throw new PulseConfigSource.ConfigException("cannot read " + file);
        return new LvsCfSource().read(file);
    }
}
