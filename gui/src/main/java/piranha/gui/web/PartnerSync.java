package piranha.gui.web;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonObject;

/**
 * What "Sync to partner" did, in words, from pulse's reply to {@code sync} (pulse/README.md,
 * "Config sync"): {@code synced}, {@code partner}, {@code serial}, {@code reason} (the partner's
 * own, e.g. what its daemons reloaded) and {@code intent} (the operator's drains and forced states
 * sent after lvs.cf), or {@code error}, the refusal's reason (no partner, no heartbeat key, the
 * partner's refusal...).
 */
record PartnerSync(boolean synced, String message, List<String> lines) {
    static PartnerSync of(JsonObject reply) {
        Object partner = reply.getValue("partner");
        String to = partner == null ? "the partner" : "the partner " + partner;
        if (!Boolean.TRUE.equals(reply.getValue("synced"))) {
            Object error = reply.getValue("error");
            return new PartnerSync(false, "Not synced: lvs.cf was not installed on " + to + ".",
                    List.of(error == null ? "pulse answered: " + reply.encode() : error.toString()));
        }
        List<String> lines = new ArrayList<>();
        if (reply.getValue("reason") != null) {
            lines.add("the partner: " + reply.getValue("reason"));
        }
        if (reply.getValue("intent") instanceof JsonObject intent) {
            lines.add("operator intent (drains, forced states): " + (Boolean.TRUE.equals(intent.getValue("synced"))
                    ? "sent" + (intent.getValue("reason") == null ? "" : ", " + intent.getValue("reason"))
                    : "not sent, " + intent.getValue("error", intent.getValue("reason"))));
        }
        return new PartnerSync(true, "Synced: lvs.cf serial_no " + reply.getValue("serial") + " is installed on " + to + ".", lines);
    }

    /** One line for the event timeline. */
    String sentence() {
        return message + (lines.isEmpty() ? "" : " " + String.join("; ", lines));
    }
}
