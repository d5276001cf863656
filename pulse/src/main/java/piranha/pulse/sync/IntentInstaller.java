package piranha.pulse.sync;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import piranha.daemon.ControlClient;

/**
 * The receiving director's handling of the partner's operator intent (its lvsd.state: drains,
 * forced states, with reason and who): a running lvsd here is told each difference with the
 * commands {@code lvsadm} sends (drain, force-down, force-up, auto), so its table, status and own
 * lvsd.state follow at once; without a running lvsd the file is written (atomically, 0600) for lvsd
 * to restore when it starts. A takeover then finds the drains of the old active in force.
 */
public final class IntentInstaller {
    private static final Duration LVSD_TIMEOUT = Duration.ofSeconds(10);

    private final Path stateFile;
    private final Path lvsdSocket;
    private long lastSerial = Long.MIN_VALUE;

    /** @param stateFile lvsd.state beside this director's lvs.cf */
    public IntentInstaller(Path stateFile, Path lvsdSocket) {
        this.stateFile = stateFile;
        this.lvsdSocket = lvsdSocket;
    }

    public synchronized SyncProtocol.Reply install(SyncProtocol.Offer offer, InetAddress from) {
        if (offer.serial() <= lastSerial) {
            return new SyncProtocol.Reply(false, "operator intent sent at " + offer.serial()
                    + " is not newer than the last one taken (" + lastSerial + ")");
        }
        JsonObject wanted;
        try {
            wanted = new JsonObject(new String(offer.body(), StandardCharsets.UTF_8)).getJsonObject("servers", new JsonObject());
        } catch (RuntimeException e) {
            return new SyncProtocol.Reply(false, "operator intent is not lvsd.state's JSON: " + e.getMessage());
        }
        lastSerial = offer.serial();
        JsonObject here = current();
        List<String> done = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        try {
            for (String id : wanted.fieldNames()) {
                JsonObject w = wanted.getJsonObject(id);
                JsonObject h = here.getJsonObject(id);
                if (h != null && Objects.equals(h.getString("action"), w.getString("action"))
                        && Objects.equals(h.getString("reason"), w.getString("reason"))) {
                    continue;
                }
                tell(w.getString("action"), id, w.getString("reason"), w.getString("who"), done, failed);
            }
            for (String id : here.fieldNames()) {
                if (!wanted.containsKey(id)) tell("auto", id, null, null, done, failed);
            }
        } catch (IOException notRunning) {
            if (!done.isEmpty()) {
                return new SyncProtocol.Reply(false, "lvsd told " + String.join(", ", done) + ", then: " + notRunning.getMessage());
            }
            try {
                write(offer.body());
            } catch (IOException e) {
                return new SyncProtocol.Reply(false, "cannot write " + stateFile + ": " + e.getMessage());
            }
            return new SyncProtocol.Reply(true, stateFile + " written (" + wanted.size()
                    + " real server(s)); lvsd is not running here and restores it when it starts");
        }
        String summary = (done.isEmpty() ? "nothing to change" : String.join(", ", done))
                + (failed.isEmpty() ? "" : "; lvsd refused: " + String.join(", ", failed));
        return new SyncProtocol.Reply(failed.isEmpty(), "lvsd told: " + summary);
    }

    /** One lvsadm command to lvsd; the id is lvsd.state's key, "-t VIP:PORT -r RIP:RPORT". */
    private void tell(String action, String id, String reason, String who, List<String> done, List<String> failed)
            throws IOException {
        int r = id.lastIndexOf(" -r ");
        if (r < 0) {
            failed.add(id + " (not a real server's identity)");
            return;
        }
        JsonObject req = new JsonObject().put("cmd", action).put("service", id.substring(0, r)).put("server", id.substring(r + 4))
                .put("reason", reason).put("who", who == null ? "partner" : who);
        JsonObject answer = ControlClient.call(lvsdSocket, req, LVSD_TIMEOUT);
        if (answer.getValue("error") != null) {
            failed.add(action + " " + id + ": " + answer.getValue("error"));
        } else {
            done.add(action + " " + id);
        }
    }

    /** The intent lvsd holds here, from its state file (empty when there is none or it is unreadable). */
    private JsonObject current() {
        try {
            return new JsonObject(Files.readString(stateFile)).getJsonObject("servers", new JsonObject());
        } catch (IOException | RuntimeException e) {
            return new JsonObject();
        }
    }

    private void write(byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(stateFile.toAbsolutePath().getParent(), ".lvsd.state.", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(tmp, bytes);
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, stateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
