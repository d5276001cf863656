package piranha.pulse.sync;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.logging.Logger;
import piranha.lvscf.LvsCfFiles;
import piranha.pulse.config.ConfigStamp;
import piranha.pulse.config.PulseConfigSource.ConfigException;
import piranha.pulse.heartbeat.HeartbeatKey;

/**
 * lvs.cf kept in step between the directors: this director's {@link SyncReceiver} (while a
 * heartbeat key and a partner are configured) and {@link #push}, which offers the local lvs.cf to
 * the partner ({@code lvsadm sync}, {@code config_sync = 1}).
 */
public final class ConfigSync implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("pulse");

    /**
     * Where the channel runs, from lvs.cf.
     *
     * @param listen   this director's heartbeat address and port (TCP); null without a partner
     * @param partner  the partner's heartbeat address and port; null without a partner
     * @param partners every address of the partner's (public, private): the only peers served
     * @param key      the heartbeat key; null without heartbeat_key_file (no channel then)
     */
    public record Channel(InetSocketAddress listen, InetSocketAddress partner, Set<InetAddress> partners, HeartbeatKey key) {
        public Channel {
            partners = Set.copyOf(partners);
        }
    }

    private final Path configFile;
    private final ConfigInstaller.Check check;
    private final SyncReceiver.Installer installer;
    private final Duration timeout;
    private volatile Channel channel;
    private SyncReceiver receiver;

    /** @param timeout bound of a push: connect, and each read (the partner's reload included) */
    public ConfigSync(Path configFile, ConfigInstaller.Check check, SyncReceiver.Installer installer, Duration timeout) {
        this.configFile = configFile;
        this.check = check;
        this.installer = installer;
        this.timeout = timeout;
    }

    /**
     * Takes a (re)loaded lvs.cf's channel: the receiver is bound anew when the address or port
     * changed, stopped without a key or partner. A port that cannot be bound is logged; pulse runs on
     * without receiving.
     */
    public synchronized void configure(Channel c) {
        channel = c;
        boolean wanted = c.key() != null && c.listen() != null;
        if (receiver != null && (!wanted || !receiver.address().equals(c.listen()))) {
            receiver.close();
            receiver = null;
        }
        if (!wanted) return;
        SyncProtocol protocol = new SyncProtocol(c.key());
        if (receiver != null) {
            receiver.update(protocol, c.partners());
            return;
        }
        try {
            receiver = SyncReceiver.start(c.listen(), protocol, c.partners(), installer);
            LOG.fine("lvs.cf sync: listening on TCP " + c.listen().getAddress().getHostAddress() + ":" + c.listen().getPort());
        } catch (IOException e) {
            LOG.warning("lvs.cf sync: cannot listen on TCP " + c.listen().getAddress().getHostAddress() + ":"
                    + c.listen().getPort() + ": " + e.getMessage() + "; the partner cannot send lvs.cf here");
        }
    }

    /**
     * Offers the local lvs.cf to the partner. Answers as the control socket's {@code sync}:
     * {@code {"synced":true,"partner":…,"serial":N,"digest":…,"reason":…}}, or {@code "synced":false}
     * with {@code "error"}.
     */
    public JsonObject push() {
        return pushConfig();
    }

    /**
     * Offers the operator's intent (lvsd.state's bytes; an empty intent when there is no file) to
     * the partner, so that a takeover finds the same drains and forced states.
     */
    public JsonObject pushIntents(Path stateFile) {
        Channel c = channel;
        if (c == null || c.partner() == null || c.key() == null) {
            return new JsonObject().put("synced", false).put("error", "no partner or no heartbeat key: intent not sent");
        }
        byte[] bytes;
        try {
            bytes = java.nio.file.Files.exists(stateFile) ? java.nio.file.Files.readAllBytes(stateFile)
                    : "{\"servers\":{}}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            return failed("cannot read " + stateFile + ": " + e.getMessage());
        }
        String to = c.partner().getAddress().getHostAddress() + ":" + c.partner().getPort();
        try {
            SyncProtocol.Reply reply = SyncSender.push(c.partner(), new SyncProtocol(c.key()),
                    new SyncProtocol.Offer(SyncProtocol.Kind.INTENTS, System.currentTimeMillis(), bytes), timeout);
            if (reply.accepted()) {
                LOG.info("operator intent sent to " + to + ": " + reply.reason());
            } else {
                LOG.warning("operator intent refused by " + to + ": " + reply.reason());
            }
            return new JsonObject().put("synced", reply.accepted()).put("partner", to).put("reason", reply.reason());
        } catch (IOException e) {
            LOG.warning("operator intent not sent to " + to + ": " + e.getMessage());
            return new JsonObject().put("synced", false).put("partner", to).put("error", e.getMessage());
        }
    }

    private JsonObject pushConfig() {
        Channel c = channel;
        if (c == null || c.partner() == null) {
            return failed("no partner configured (backup_active = 0 or no backup address): nothing to sync to");
        }
        if (c.key() == null) {
            return failed("lvs.cf is synced only over the channel the heartbeat key authenticates, and " + configFile
                    + " sets no heartbeat_key_file: set it (the same key file on both directors) and reload");
        }
        byte[] bytes;
        long serial;
        try {
            bytes = LvsCfFiles.readBytes(configFile);
            serial = check.check(bytes);
        } catch (IOException e) {
            return failed("cannot read " + configFile + ": " + e.getMessage());
        } catch (ConfigException e) {
            return failed("not sent: " + configFile + " fails the check here:\n" + e.getMessage());
        }
        ConfigStamp stamp = ConfigStamp.of(serial, bytes);
        String to = c.partner().getAddress().getHostAddress() + ":" + c.partner().getPort();
        JsonObject out = new JsonObject().put("partner", to).put("serial", serial).put("digest", stamp.digestHex());
        SyncProtocol.Reply reply;
        try {
            reply = SyncSender.push(c.partner(), new SyncProtocol(c.key()), new SyncProtocol.Offer(serial, bytes), timeout);
        } catch (IOException e) {
            LOG.warning("lvs.cf (serial_no " + serial + ") not sent to " + to + ": " + e.getMessage());
            return out.put("synced", false).put("error", "cannot sync with the partner " + to + ": " + e.getMessage());
        }
        if (reply.accepted()) {
            LOG.info("lvs.cf (serial_no " + serial + ") sent to " + to + ": " + reply.reason());
            return out.put("synced", true).put("reason", reply.reason());
        }
        LOG.warning("lvs.cf (serial_no " + serial + ") refused by " + to + ": " + reply.reason());
        return out.put("synced", false).put("error", "the partner " + to + " refused lvs.cf: " + reply.reason());
    }

    private static JsonObject failed(String why) {
        LOG.warning("lvs.cf not synced: " + why);
        return new JsonObject().put("synced", false).put("error", why);
    }

    @Override
    public synchronized void close() {
        if (receiver != null) receiver.close();
        receiver = null;
    }

}
