package piranha.pulse;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.logging.Logger;
import piranha.pulse.config.ConfigStamp;
import piranha.pulse.config.PulseConfig;
import piranha.pulse.heartbeat.AuthenticatedCodec;
import piranha.pulse.heartbeat.HeartbeatCodec;
import piranha.pulse.heartbeat.HeartbeatKey;
import piranha.pulse.heartbeat.PiranhaCodec;
import piranha.pulse.state.Settings;

/** What the heartbeat thread and the failover machine take from lvs.cf: the codec and the machine's settings. */
final class HeartbeatSetup {
    private static final Logger LOG = Logger.getLogger("pulse");

    private HeartbeatSetup() {}

    /** Signed heartbeats with heartbeat_key_file (the key file is read again at each reload), else Piranha's. */
    static HeartbeatCodec codec(PulseConfig cfg, Node self, ConfigStamp stamp) throws IOException {
        if (cfg.extensions().heartbeatKeyFile() != null) {
            HeartbeatKey key = HeartbeatKey.load(cfg.extensions().heartbeatKeyFile());
            return new AuthenticatedCodec(key, self.primary(), toInt(self.ownPublic()),
                    self.partnerPublic() == null ? 0 : toInt(self.partnerPublic()), System.currentTimeMillis(), stamp);
        }
        if (cfg.hasBackup()) {
            LOG.warning("heartbeats are not authenticated: anyone able to send UDP from the partner's address"
                    + " can force a failover; set heartbeat_key_file");
        }
        return new PiranhaCodec(cfg.fos());
    }

    /** The failover machine's settings: role, partner, deadtime, give-back, the tie-break, the warm standby. */
    static Settings settings(PulseConfig cfg, Node self, boolean forceActive) {
        return new Settings(self.primary(), cfg.hasBackup(), cfg.deadtime(), forceActive,
                cfg.extensions().givebackDelay(), self.ownPublic() == null ? 0 : toInt(self.ownPublic()),
                cfg.extensions().lvsdWarmStandby() && !cfg.fos()); // fos: no lvsd at all
    }

    /**
     * A director's 32-bit node number in signed heartbeats and the machine's tie-break: an IPv4 address
     * as its number, an IPv6 one as the XOR of its four 32-bit words.
     */
    static int toInt(InetAddress a) {
        ByteBuffer b = ByteBuffer.wrap(a.getAddress());
        int v = 0;
        while (b.hasRemaining()) v ^= b.getInt();
        return v;
    }
}
