package piranha.lvsd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

import io.vertx.core.json.JsonObject;

/**
 * The operator's intent on real servers (drain, force-down, force-up, with reason, who and when),
 * kept in a state file beside lvs.cf ({@code lvsd.state}, JSON, mode 0600, replaced atomically) so
 * that it survives a restart of lvsd; {@code auto} clears it. Keyed by the real server's identity
 * in IPVS terms ({@code -t VIP:PORT -r RIP:RPORT}). Runs on lvsd's context.
 */
final class Intents {
    private static final Logger LOG = Logger.getLogger("piranha.lvsd");

    /** One intent: the action's command word, and why, who, when. */
    record Intent(String action, String reason, String who, Instant when) {
        JsonObject toJson() {
            return new JsonObject().put("action", action).put("reason", reason).put("who", who).put("when", when.toString());
        }

        static Intent of(JsonObject j) {
            return new Intent(j.getString("action"), j.getString("reason"), j.getString("who"), Instant.parse(j.getString("when")));
        }
    }

    private final Path file;
    private final Map<String, Intent> intents = new LinkedHashMap<>();

    Intents(Path file) {
        this.file = file;
    }

    /** The state file of an lvs.cf: {@code lvsd.state} in its directory. */
    static Path beside(Path lvsCf) {
        Path dir = lvsCf.toAbsolutePath().getParent();
        return dir.resolve("lvsd.state");
    }

    /** Reads the file if there is one; a damaged file is logged and set aside, never fatal. */
    Intents load() {
        if (!Files.exists(file)) {
            return this;
        }
        try {
            JsonObject servers = new JsonObject(Files.readString(file)).getJsonObject("servers", new JsonObject());
            servers.forEach(e -> intents.put(e.getKey(), Intent.of((JsonObject) e.getValue())));
            LOG.info(() -> "operator intent restored from " + file + ": " + intents.size() + " real server(s)");
        } catch (IOException | RuntimeException e) {
            LOG.warning(() -> "ignoring the unreadable state file " + file + ": " + e.getMessage());
        }
        return this;
    }

    Map<String, Intent> all() {
        return Map.copyOf(intents);
    }

    Intent of(ServerId id) {
        return intents.get(id.toString());
    }

    void record(ServerId id, Intent intent) {
        intents.put(id.toString(), intent);
        save();
    }

    void clear(ServerId id) {
        if (intents.remove(id.toString()) != null) {
            save();
        }
    }

    /** Written to a temporary file of mode 0600 in the same directory, then renamed over the old one. */
    private void save() {
        JsonObject servers = new JsonObject();
        intents.forEach((k, v) -> servers.put(k, v.toJson()));
        String text = new JsonObject().put("servers", servers).encodePrettily() + "\n";
        try {
            Path tmp = Files.createTempFile(file.getParent(), ".lvsd.state.", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            LOG.severe(() -> "cannot write the state file " + file + ": " + e.getMessage() + "; the intent holds until lvsd stops");
        }
    }
}
