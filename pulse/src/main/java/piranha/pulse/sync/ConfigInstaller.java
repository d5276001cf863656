package piranha.pulse.sync;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Supplier;
import piranha.lvscf.HostResolver;
import piranha.lvscf.InvalidConfigException;
import piranha.lvscf.LvsCfDocument;
import piranha.lvscf.LvsCfFiles;
import piranha.pulse.config.PulseConfigSource.ConfigException;

/**
 * The receiving director's rules for an lvs.cf the partner offers (its MAC already proven): newer
 * than the file here by {@code serial_no}, passing pulse's reload check, then written atomically over
 * lvs.cf (as the configuration tool writes it: temporary file, fsync, rename, the old file's mode)
 * and applied by pulse and lvsd as {@code lvsadm reload} applies it.
 */
public final class ConfigInstaller implements SyncReceiver.Installer {

    /** pulse's check of lvs.cf's bytes (what a reload checks); returns the file's serial_no. */
    public interface Check {
        long check(byte[] bytes) throws ConfigException;
    }

    private final Path configFile;
    private final Check check;
    private final Supplier<JsonObject> reload;

    /** @param reload pulse's reload (then lvsd's), answering as the control socket's {@code reload} */
    public ConfigInstaller(Path configFile, Check check, Supplier<JsonObject> reload) {
        this.configFile = configFile;
        this.check = check;
        this.reload = reload;
    }

    @Override
    public synchronized SyncProtocol.Reply install(SyncProtocol.Offer offer, InetAddress from) {
        long own;
        try {
            own = ownSerial();
        } catch (IOException e) {
            return refuse("cannot read " + configFile + " here: " + e.getMessage());
        }
        if (own >= 0 && offer.serial() <= own) {
            return refuse("serial_no " + offer.serial() + " is not newer than this director's " + own + " (" + configFile + ")");
        }
        long serial;
        try {
            serial = check.check(offer.body());
        } catch (ConfigException e) {
            return refuse("the file fails the check, nothing written: " + e.getMessage());
        }
        if (serial != offer.serial()) {
            return refuse("the file says serial_no " + serial + ", its sender " + offer.serial());
        }
        try {
            LvsCfDocument doc = LvsCfFiles.parse(configFile, offer.body(), HostResolver.SYSTEM);
            if (!java.util.Arrays.equals(doc.bytes(), offer.body())) {
                return refuse("the file would not be written byte for byte (its encoding); nothing written");
            }
            LvsCfFiles.write(configFile, doc);
        } catch (IOException | InvalidConfigException e) {
            return refuse("cannot write " + configFile + ": " + e.getMessage());
        }
        JsonObject r = reload.get();
        String written = configFile + " written (serial_no " + offer.serial() + ", " + offer.body().length + " bytes)";
        if (r.getBoolean("reloaded", false)) {
            return new SyncProtocol.Reply(true, written + "; pulse and lvsd reloaded: " + summary(r));
        }
        return new SyncProtocol.Reply(false, written + " but not applied: " + r.getString("error", r.encode()));
    }

    /** serial_no of the file here; -1 when there is none yet. */
    private long ownSerial() throws IOException {
        byte[] bytes;
        try {
            bytes = LvsCfFiles.readBytes(configFile);
        } catch (NoSuchFileException e) {
            return -1;
        }
        return LvsCfFiles.parse(configFile, bytes, HostResolver.SYSTEM).config().globals().serialNo();
    }

    private static String summary(JsonObject reload) {
        JsonObject pulse = reload.getJsonObject("pulse", new JsonObject());
        JsonObject lvsd = reload.getJsonObject("lvsd", new JsonObject());
        String p = "pulse changed " + (pulse.getJsonArray("changes") == null || pulse.getJsonArray("changes").isEmpty()
                ? "nothing" : String.join(", ", pulse.getJsonArray("changes").stream().map(String::valueOf).toList()));
        String l = lvsd.getBoolean("asked", false) ? "lvsd applied it"
                : "lvsd " + lvsd.getString("note", "not asked");
        return p + "; " + l;
    }

    private static SyncProtocol.Reply refuse(String why) {
        return new SyncProtocol.Reply(false, why);
    }
}
