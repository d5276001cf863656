package piranha.lvsd.admin;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import piranha.daemon.ControlClient;
import piranha.daemon.ControlSockets;
import piranha.daemon.ReloadRequest;

/**
 * {@code lvsadm}: the operator's view of this director, like {@code ipvsadm -L -n} but with the
 * heartbeat state and each real server's health, and the operator's actions without signals.
 */
@Command(name = "lvsadm", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Shows this director's state and table, and acts on real servers.", "",
                "  lvsadm                         status (also: lvsadm status)",
                "  lvsadm drain SERVICE IP:PORT   weight 0: no new connections, existing ones continue",
                "  lvsadm force-down SERVICE IP:PORT | force-up SERVICE IP:PORT | auto SERVICE IP:PORT",
                "  lvsadm reload                  re-read lvs.cf in pulse and lvsd (lvsd alone when pulse does not run)",
                "  lvsadm sync                    push this director's lvs.cf to the partner (heartbeat key's channel)",
                "  lvsadm events [--follow] [--since SEQ] [--json]   state changes of pulse and lvsd, in order",
                "  lvsadm add-server SERVICE NAME ADDRESS[:PORT] [--weight N] | remove-server SERVICE NAME",
                "  lvsadm set-weight SERVICE NAME N",
                "                                 change lvs.cf (validated, written atomically, serial_no bumped) and reload",
                "SERVICE is the virtual block's name or its ipvsadm form (-t VIP:PORT, -f MARK).",
                "The sockets: --pulse-socket/--lvsd-socket, else $" + ControlSockets.PULSE_ENV + "/$"
                        + ControlSockets.LVSD_ENV + ", else the daemons' defaults.", ""})
public final class LvsadmMain implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The partner reloads pulse and lvsd before it answers (lvsd's reload may take up to a minute). */
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(90);

    @Parameters(arity = "0..4", paramLabel = "ACTION", description = "status (default), drain, force-down, force-up, auto, reload, sync, events, add-server, remove-server, set-weight")
    List<String> words = List.of();

    @Option(names = "--json", description = "Print both daemons' status as one JSON object.")
    boolean json;

    @Option(names = {"-w", "--watch"}, arity = "0..1", fallbackValue = "2", paramLabel = "SECONDS",
            description = "Refresh the status in place every SECONDS (default 2) until interrupted.")
    Integer watch;

    @Option(names = "--reason", paramLabel = "TEXT",
            description = "With drain, force-down, force-up: why (kept with the intent in lvsd's state file).")
    String reason;

    @Option(names = {"-f", "--follow"}, description = "With events: keep printing events as they happen, until interrupted.")
    boolean follow;

    @Option(names = "--since", paramLabel = "SEQ",
            description = "With events: only those after SEQ (one number for each daemon, or lvsd:SEQ,pulse:SEQ).")
    String since;

    @Option(names = "--source", paramLabel = "DAEMON", description = "With events: pulse or lvsd only (default both).")
    String source;

    @Option(names = "--weight", paramLabel = "N", description = "With add-server: the server's weight (default lvs.cf's 1).")
    Integer weight;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "With add-server, remove-server, set-weight: the lvs.cf to change (default: the one lvsd runs with).")
    Path config;

    @Option(names = "--pulse-socket", paramLabel = "PATH", description = {"pulse's control socket;", "default ${DEFAULT-VALUE}"})
    Path pulseSocket = ControlSockets.pulseForClient(System.getenv());

    @Option(names = "--lvsd-socket", paramLabel = "PATH", description = {"lvsd's control socket;", "default ${DEFAULT-VALUE}"})
    Path lvsdSocket = ControlSockets.lvsdForClient(System.getenv());

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public Integer call() throws Exception {
        String action = words.isEmpty() ? "status" : words.get(0);
        switch (action) {
            case "status" -> {
                return status();
            }
            case "reload" -> {
                return reload();
            }
            case "sync" -> {
                return sync();
            }
            case "events" -> {
                return events();
            }
            case "add-server" -> {
                if (words.size() != 4) {
                    System.err.println("lvsadm: add-server takes SERVICE NAME ADDRESS[:PORT] [--weight N]");
                    return 2;
                }
                return change(action + " " + words.get(1) + " " + words.get(2), doc -> piranha.lvscf.RealServerEdits.addServer(
                        doc, words.get(1), words.get(2), words.get(3), weight));
            }
            case "remove-server" -> {
                if (words.size() != 3) {
                    System.err.println("lvsadm: remove-server takes SERVICE NAME");
                    return 2;
                }
                return change(action + " " + words.get(1) + " " + words.get(2),
                        doc -> piranha.lvscf.RealServerEdits.removeServer(doc, words.get(1), words.get(2)));
            }
            case "set-weight" -> {
                if (words.size() != 4 || !words.get(3).matches("\\d{1,9}")) {
                    System.err.println("lvsadm: set-weight takes SERVICE NAME N (N a whole number)");
                    return 2;
                }
                return change(action + " " + words.get(1) + " " + words.get(2) + " " + words.get(3),
                        doc -> piranha.lvscf.RealServerEdits.setWeight(doc, words.get(1), words.get(2), Integer.parseInt(words.get(3))));
            }
            case "drain", "force-down", "force-up", "auto" -> {
                if (words.size() != 3) {
                    System.err.println("lvsadm: " + action + " takes SERVICE and IP:PORT");
                    return 2;
                }
                return act(action, words.get(1), words.get(2));
            }
            default -> {
                System.err.println("lvsadm: unknown action '" + action + "'; see lvsadm --help");
                return 2;
            }
        }
    }

    private int status() throws InterruptedException {
        do {
            JsonObject p = ask("pulse", pulseSocket, new JsonObject().put("cmd", "status"));
            JsonObject l = ask("lvsd", lvsdSocket, new JsonObject().put("cmd", "status"));
            String out = json ? new JsonObject().put("pulse", p).put("lvsd", l).encodePrettily() + "\n" : StatusReport.render(p, l);
            if (watch != null) {
                System.out.print("\033[H\033[2J");
            }
            System.out.print(out);
            System.out.flush();
            if (watch == null) {
                return p.containsKey("error") && l.containsKey("error") ? 3 : 0;
            }
            Thread.sleep(Math.max(1, watch) * 1000L);
        } while (true);
    }

    /** A runtime change of lvs.cf (ServerChange), in the file lvsd runs with unless --config names one. */
    private int change(String what, java.util.function.UnaryOperator<piranha.lvscf.LvsCfDocument> edit) {
        Path file = config;
        if (file == null) {
            JsonObject l = ask("lvsd", lvsdSocket, new JsonObject().put("cmd", "status"));
            if (l.containsKey("error")) {
                System.err.println("lvsadm: " + l.getString("error") + "; name the lvs.cf to change with --config");
                return 1;
            }
            file = Path.of(l.getString("config"));
            if (!file.isAbsolute()) {
                file = resolvedIn(l.getLong("pid"), file);
            }
        }
        return new ServerChange(file, pulseSocket, lvsdSocket, System.out, System.err).apply(what, edit);
    }

    /** A relative path lvsd was given, as lvsd reads it: in its working directory. */
    private static Path resolvedIn(long pid, Path file) {
        try {
            return Path.of("/proc", Long.toString(pid), "cwd").toRealPath().resolve(file);
        } catch (IOException e) {
            return file.toAbsolutePath();
        }
    }

    /** The event streams of pulse and lvsd (EventReader). */
    private int events() throws InterruptedException {
        List<String> daemons = source == null ? List.of("pulse", "lvsd") : List.of(source);
        if (!List.of("pulse", "lvsd").containsAll(daemons) || words.size() != 1) {
            System.err.println("lvsadm: events takes no arguments; --source is pulse or lvsd");
            return 2;
        }
        java.util.Map<String, Long> from;
        try {
            from = EventReader.since(since, daemons);
        } catch (IllegalArgumentException e) {
            System.err.println("lvsadm: " + e.getMessage());
            return 2;
        }
        List<EventReader.Source> sources = new java.util.ArrayList<>();
        for (String d : daemons) {
            sources.add(new EventReader.Source(d, d.equals("pulse") ? pulseSocket : lvsdSocket, from.get(d)));
        }
        EventReader reader = new EventReader(sources, json, System.out, System.err);
        return follow ? reader.follow() : reader.list();
    }

    /** pulse reloads itself and then lvsd (lvsd alone without pulse); each says what it applied or refused. */
    private int reload() {
        ReloadRequest.Result r = ReloadRequest.send(pulseSocket, lvsdSocket, ReloadRequest.TIMEOUT);
        (r.ok() ? System.out : System.err).println(String.join("\n", r.lines()));
        return r.ok() ? 0 : 1;
    }

    /**
     * pulse offers lvs.cf to the partner, which checks, writes and reloads it; the partner's reason
     * (or its refusal's) is printed. The wait covers the partner's reload of lvsd.
     */
    private int sync() {
        JsonObject r;
        try {
            r = ControlClient.call(pulseSocket, new JsonObject().put("cmd", "sync"), SYNC_TIMEOUT);
        } catch (IOException e) {
            System.err.println("lvsadm: pulse " + e.getMessage().replaceFirst("^not running: ", "is not running: "));
            return 1;
        }
        if (!r.getBoolean("synced", false)) {
            System.err.println("lvsadm: lvs.cf not synced: " + r.getString("error", r.encode()));
            return 1;
        }
        System.out.println("lvs.cf serial_no " + r.getValue("serial") + " synced to " + r.getString("partner") + ": "
                + r.getString("reason"));
        return 0;
    }

    private int act(String action, String service, String server) {
        String who = System.getenv("SUDO_USER") != null ? System.getenv("SUDO_USER") : System.getProperty("user.name");
        JsonObject r = ask("lvsd", lvsdSocket, new JsonObject().put("cmd", action).put("service", service).put("server", server)
                .put("reason", reason).put("who", who));
        if (r.containsKey("error")) {
            System.err.println("lvsd: " + r.getString("error"));
            return 1;
        }
        System.out.println(action + " " + service + " " + server + ": done");
        return 0;
    }

    /** One request; a daemon that does not answer becomes {"error": "NAME is not running: ..."}. */
    private static JsonObject ask(String daemon, Path socket, JsonObject request) {
        try {
            return ControlClient.call(socket, request, TIMEOUT);
        } catch (IOException e) {
            return new JsonObject().put("error", daemon + " " + e.getMessage().replaceFirst("^not running: ", "is not running: "));
        }
    }

    public static void main(String[] args) throws InterruptedException {
        // Plain `lvsadm`, what an operator types most, skips picocli's set-up (reflection over the
        // options, its converters: ~140 ms of a ~480 ms run, BENCHMARKS.md); it is `lvsadm status`
        // with every option at its default, and the defaults are the fields' initial values.
        if (args.length == 0) {
            System.exit(new LvsadmMain().status());
        }
        CommandLine cl = new CommandLine(new LvsadmMain());
        cl.setParameterExceptionHandler((ex, a) -> {
            System.err.println("lvsadm: " + ex.getMessage());
            ex.getCommandLine().usage(System.err);
            return 2;
        });
        System.exit(cl.execute(args));
    }
}
