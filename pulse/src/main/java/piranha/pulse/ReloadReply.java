package piranha.pulse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import piranha.daemon.ReloadRequest;

/**
 * pulse's answer to {@code reload}: what pulse and lvsd each applied or refused (pulse/README.md).
 * {@code "reloaded"} is true when everything that runs took the file; {@code "error"} is set otherwise,
 * so a client that only looks for it still sees the failure.
 */
final class ReloadReply {
    private ReloadReply() {}

    /**
     * @param pulse     {"applied":true,"changes":[…]} or {"applied":false,"errors":[…]}
     * @param lvsdReply lvsd's own reply to its {@code reload}; null when it was not asked or does not run
     */
    static JsonObject of(JsonObject pulse, JsonObject lvsdReply) {
        boolean pulseApplied = pulse.getBoolean("applied");
        JsonObject lvsd;
        String error = null;
        if (!pulseApplied) {
            lvsd = new JsonObject().put("applied", false).put("asked", false)
                    .put("note", "not asked: pulse refused lvs.cf");
            error = "pulse refused lvs.cf, the running configuration stays:\n" + lines(pulse.getJsonArray("errors"));
        } else if (lvsdReply == null) {
            lvsd = new JsonObject().put("applied", false).put("asked", false)
                    .put("note", "lvsd is not running on this director; it reads lvs.cf when it starts");
        } else if (lvsdReply.getValue("error") != null) {
            List<String> errors = ReloadRequest.lvsdErrors(lvsdReply.getValue("error"));
            lvsd = new JsonObject().put("applied", false).put("asked", true).put("errors", new JsonArray(errors));
            error = "lvsd refused lvs.cf:\n" + String.join("\n", errors);
        } else {
            lvsd = new JsonObject().put("applied", true).put("asked", true)
                    .put("changes", lvsdReply.getJsonArray("changes", new JsonArray()));
            if (lvsdReply.getValue("timings_ms") != null) lvsd.put("timings_ms", lvsdReply.getValue("timings_ms"));
        }
        JsonObject reply = new JsonObject().put("reloaded", error == null).put("pulse", pulse).put("lvsd", lvsd);
        return error == null ? reply : reply.put("error", error);
    }

    private static String lines(JsonArray a) {
        return String.join("\n", a.stream().map(String::valueOf).toList());
    }
}
