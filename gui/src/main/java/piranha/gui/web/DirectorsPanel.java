package piranha.gui.web;

import static piranha.gui.web.StatusPanels.text;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Both directors side by side on CONTROL/MONITORING, from this director's pulse status: each one's
 * role and state, the age of the last heartbeat on each path ({@code paths}), and the lvs.cf each
 * runs ({@code config} and {@code partnerConfig}: {@code {"serial": N, "digest": "hex"}}, null when
 * unknown), with a warning when the two differ: a failover would then run another configuration.
 * A pulse that reports no configuration (an older one) leaves those lines saying so.
 */
final class DirectorsPanel {
    private DirectorsPanel() {}

    static void render(StringBuilder out, JsonObject pulse, JsonObject lvsd) {
        out.append("<section class=\"directors-panel\" id=\"directors\">\n<h3>Directors</h3>\n");
        if (pulse.getValue("error") != null) {
            text(out.append("<p class=\"warning\">Both directors' state is unknown: "), pulse.getValue("error")).append("</p>\n</section>\n");
            return;
        }
        String role = String.valueOf(pulse.getValue("role"));
        String partnerRole = "primary".equals(role) ? "backup" : "backup".equals(role) ? "primary" : "partner";
        String partner = pulse.getValue("partner") instanceof String p ? p : "unknown";
        boolean lone = "none".equals(partner);
        JsonObject ours = pulse.getValue("config") instanceof JsonObject c ? c : null;
        JsonObject theirs = pulse.getValue("partnerConfig") instanceof JsonObject c ? c : null;
        if (!lone && ours != null && theirs != null && ours.getValue("digest") != null && theirs.getValue("digest") != null
                && !ours.getValue("digest").equals(theirs.getValue("digest"))) {
            out.append("<div class=\"warning config-differs\" id=\"config-differs\"><strong>");
            out.append("primary".equals(role) ? "The backup's lvs.cf differs from this primary's"
                    : "This " + role + "'s lvs.cf differs from the " + partnerRole + "'s");
            text(out.append("</strong> (serial_no "), theirs.getValue("serial")).append(" there, ");
            text(out, ours.getValue("serial")).append(" here): a failover would run another configuration. "
                    + "Copy /etc/sysconfig/ha/lvs.cf from the primary to the backup.</div>\n");
        }
        out.append("<div class=\"directors\">\n<div class=\"director\" id=\"director-this\">\n<h4>This director: ");
        text(out, role).append("</h4>\n<dl>\n");
        String state = String.valueOf(pulse.getValue("state"));
        text(out.append("<dt>Role</dt><dd>"), role).append("</dd>\n<dt>State</dt><dd class=\"state-");
        text(out, state).append("\">");
        text(out, state).append(" since ");
        text(out, StatusTimes.when(pulse.getValue("since"))).append("</dd>\n");
        config(out, ours, pulse.containsKey("config"), lvsd);
        out.append("</dl>\n</div>\n<div class=\"director\" id=\"director-partner\">\n<h4>Partner: ");
        text(out, lone ? "none" : partnerRole).append("</h4>\n<dl>\n");
        if (lone) {
            out.append("<dt>Role</dt><dd>no partner configured (backup_active = 0 or no backup)</dd>\n");
        } else {
            text(out.append("<dt>Role</dt><dd>"), partnerRole).append("</dd>\n<dt>State</dt><dd");
            String partnerState = partnerState(partner, state);
            if (partnerState.startsWith("active") || partnerState.startsWith("standby")) {
                out.append(" class=\"state-").append(partnerState.startsWith("active") ? "active" : "standby").append('"');
            }
            text(out.append('>'), partnerState).append("</dd>\n<dt>Heartbeats</dt><dd>");
            heartbeats(out, pulse);
            out.append("</dd>\n");
            config(out, theirs, pulse.containsKey("partnerConfig"), null);
        }
        out.append("</dl>\n</div>\n</div>\n</section>\n");
    }

    /** What the partner is, from pulse's word for it and this director's state (one of the two is active). */
    static String partnerState(String partner, String ours) {
        return switch (partner) {
            case "running" -> ("active".equals(ours) ? "standby" : "active") + " (pulse running, heartbeats arrive)";
            case "stopped" -> "stopped (its pulse said it is stopping)";
            case "dead" -> "dead (no heartbeat within deadtime)";
            default -> "unknown (no heartbeat yet)";
        };
    }

    /** The age of the last heartbeat on each path; the overall age where pulse gives no paths. */
    private static void heartbeats(StringBuilder out, JsonObject pulse) {
        JsonArray paths = pulse.getValue("paths") instanceof JsonArray a ? a : new JsonArray();
        if (paths.isEmpty()) {
            age(out.append("last "), pulse.getValue("lastHeartbeatAgeMs"));
            return;
        }
        for (int i = 0; i < paths.size(); i++) {
            JsonObject p = paths.getValue(i) instanceof JsonObject o ? o : new JsonObject();
            text(out.append(i > 0 ? "; " : ""), p.getValue("name")).append(": ");
            age(out, p.getValue("lastHeartbeatAgeMs"));
        }
    }

    private static void age(StringBuilder out, Object ms) {
        if (ms instanceof Number n) {
            text(out, n.longValue()).append(" ms ago");
        } else {
            out.append("none yet");
        }
    }

    /** serial_no and digest of one director's lvs.cf; this one's serial_no from lvsd when pulse says nothing. */
    private static void config(StringBuilder out, JsonObject config, boolean reported, JsonObject lvsd) {
        out.append("<dt>lvs.cf</dt><dd class=\"config\">");
        if (config != null) {
            text(out.append("serial_no "), config.getValue("serial"));
            String digest = config.getValue("digest") instanceof String d ? d : "";
            text(out.append(", digest <code title=\""), digest).append("\">");
            text(out, digest.length() > 12 ? digest.substring(0, 12) : digest).append(digest.length() > 12 ? "&#8230;</code>" : "</code>");
        } else if (reported) {
            out.append("not known yet");
        } else if (lvsd != null && lvsd.getValue("serial_no") != null) {
            text(out.append("serial_no "), lvsd.getValue("serial_no")).append(" (as lvsd runs it; pulse reports no digest)");
        } else {
            out.append("not reported by pulse");
        }
        out.append("</dd>\n");
    }
}
