package piranha.daemon;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A reload as the operator's tools ask for it (lvsadm reload, the configuration tool's APPLY):
 * pulse is asked, which re-reads lvs.cf and then has lvsd reload; where pulse does not run, lvsd
 * alone. The result says, per daemon, what it applied or refused (with the file's located errors)
 * or why it was not asked.
 */
public final class ReloadRequest {
    /** lvsd's part of a reload of tens of thousands of real servers takes seconds on a loaded host. */
    public static final Duration TIMEOUT = Duration.ofSeconds(90);

    private ReloadRequest() {}

    /**
     * One daemon's part.
     *
     * @param asked   false when it was not asked (not running, or pulse refused first); see note
     * @param changes what it changed (pulse: the parts of its configuration; lvsd: services, servers)
     * @param errors  why it refused, one line each (FILE:LINE:COL: ... for errors in lvs.cf)
     */
    public record Part(String daemon, boolean applied, boolean asked, List<String> changes, List<String> errors, String note) {

        /** For a terminal: "pulse: reloaded; changed: addresses" and indented detail lines. */
        public List<String> lines() {
            List<String> out = new ArrayList<>();
            if (applied) {
                if (daemon.equals("pulse")) {
                    out.add("pulse: reloaded; " + (changes.isEmpty() ? "nothing pulse uses changed" : "changed: "
                            + String.join(", ", changes)));
                } else {
                    out.add(daemon + ": reloaded; " + (changes.isEmpty() ? "nothing changed" : changes.size() + " change"
                            + (changes.size() == 1 ? "" : "s") + ":"));
                    changes.forEach(c -> out.add("  " + c));
                }
            } else if (!asked) {
                out.add(daemon + ": " + note);
            } else {
                out.add(daemon + ": refused the reload, the running configuration stays:");
                errors.forEach(e -> out.add("  " + e));
            }
            return out;
        }
    }

    /** ok: everything that was asked applied the file, and at least one daemon did. */
    public record Result(boolean ok, List<Part> parts) {
        public List<String> lines() {
            List<String> out = new ArrayList<>();
            parts.forEach(p -> out.addAll(p.lines()));
            return out;
        }
    }

    public static Result send(Path pulseSocket, Path lvsdSocket, Duration timeout) {
        JsonObject reload = new JsonObject().put("cmd", "reload");
        JsonObject reply;
        try {
            reply = ControlClient.call(pulseSocket, reload, timeout);
        } catch (IOException e) {
            Part pulse = new Part("pulse", false, false, List.of(), List.of(),
                    "pulse " + e.getMessage().replaceFirst("^not running: ", "is not running: ") + "; lvsd asked directly");
            Part lvsd = lvsdAlone(lvsdSocket, reload, timeout);
            return result(List.of(pulse, lvsd));
        }
        if (!(reply.getValue("pulse") instanceof JsonObject p)) {
            return result(List.of(new Part("pulse", false, true, List.of(), lines(reply.getValue("error")), null)));
        }
        JsonObject l = reply.getValue("lvsd") instanceof JsonObject j ? j : new JsonObject();
        return result(List.of(part("pulse", p), part("lvsd", l)));
    }

    private static Part lvsdAlone(Path lvsdSocket, JsonObject reload, Duration timeout) {
        JsonObject r;
        try {
            r = ControlClient.call(lvsdSocket, reload, timeout);
        } catch (IOException e) {
            return new Part("lvsd", false, false, List.of(), List.of(),
                    "lvsd " + e.getMessage().replaceFirst("^not running: ", "is not running: "));
        }
        if (r.getValue("error") != null) {
            return new Part("lvsd", false, true, List.of(), lvsdErrors(r.getValue("error")), null);
        }
        return new Part("lvsd", true, true, strings(r.getValue("changes")), List.of(), null);
    }

    private static Part part(String daemon, JsonObject j) {
        return new Part(daemon, Boolean.TRUE.equals(j.getValue("applied")), !Boolean.FALSE.equals(j.getValue("asked")),
                strings(j.getValue("changes")), strings(j.getValue("errors")), j.getString("note"));
    }

    private static Result result(List<Part> parts) {
        boolean ok = parts.stream().anyMatch(Part::applied) && parts.stream().allMatch(p -> p.applied() || !p.asked());
        return new Result(ok, parts);
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof JsonArray a) {
            a.forEach(x -> out.add(String.valueOf(x)));
        }
        return out;
    }

    /**
     * lvsd's refusal of a reload as lines: its control socket puts the command's name first, and a
     * headline ("reload refused, the running configuration stays:") before the file's errors.
     */
    public static List<String> lvsdErrors(Object error) {
        List<String> out = new ArrayList<>(lines(error));
        out.set(0, out.get(0).replaceFirst("^reload: ", ""));
        if (out.size() > 1 && out.get(0).startsWith("reload refused")) {
            out.remove(0);
        }
        return out;
    }

    private static List<String> lines(Object error) {
        return error == null ? List.of("no reason given") : List.of(String.valueOf(error).split("\n"));
    }
}
