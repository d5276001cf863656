package piranha.lvsd;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import piranha.nanny.Mode;

/**
 * The requests of lvsd's control socket: {@code status}, {@code wait-ready}, {@code reload}, and
 * the operator's actions on one real server. Operator actions run on lvsd's context and sync the
 * server's service before they answer.
 */
final class ControlCommands {
    private static final Logger LOG = Logger.getLogger("piranha.lvsd");

    /** What an operator may do to one real server, as {@code lvsadm ACTION SERVICE IP:PORT} names it. */
    enum Action {
        /** In the table at weight 0: no new connections. */
        DRAIN("drain") {
            @Override
            void apply(TableKeeper keeper, Monitors monitors, ServerId id) {
                keeper.drain(id, true);
            }
        },
        /** Out of the table, checks stopped (Piranha's SIGUSR1 to the nanny). */
        FORCE_DOWN("force-down") {
            @Override
            void apply(TableKeeper keeper, Monitors monitors, ServerId id) {
                monitors.override(id, Mode.FORCED_DOWN);
            }
        },
        /** In the table at its weight, checks stopped (SIGUSR2). */
        FORCE_UP("force-up") {
            @Override
            void apply(TableKeeper keeper, Monitors monitors, ServerId id) {
                monitors.override(id, Mode.FORCED_UP);
            }
        },
        /** Undrained, and checks decide again (SIGHUP). */
        AUTO("auto") {
            @Override
            void apply(TableKeeper keeper, Monitors monitors, ServerId id) {
                keeper.drain(id, false);
                monitors.override(id, Mode.AUTO);
            }
        };

        final String command;

        Action(String command) {
            this.command = command;
        }

        abstract void apply(TableKeeper keeper, Monitors monitors, ServerId id);
    }

    /** An operator's request: the action, the virtual service (block name or ipvsadm form) and the real server. */
    record Operation(Action action, String service, String server, String reason, String who) {
        Operation(Action action, String service, String server) {
            this(action, service, server, null, null);
        }

        static Operation of(Action action, JsonObject request) {
            return new Operation(action, request.getString("service"), request.getString("server"),
                    request.getString("reason"), request.getString("who"));
        }
    }

    /** Looks an action up by its command word (the state file's). */
    static Action action(String command) {
        for (Action a : Action.values()) {
            if (a.command.equals(command)) {
                return a;
            }
        }
        return null;
    }

    private final Context context;
    private final TableKeeper keeper;
    private final Monitors monitors;
    private final Supplier<Future<JsonObject>> status;
    private final Future<Void> ready;
    private final Supplier<Future<JsonObject>> reload;
    private final Intents intents;
    private final piranha.daemon.EventLog events;

    ControlCommands(Context context, TableKeeper keeper, Monitors monitors, Supplier<Future<JsonObject>> status,
            Future<Void> ready, Supplier<Future<JsonObject>> reload, Intents intents, piranha.daemon.EventLog events) {
        this.intents = intents;
        this.events = events;
        this.context = context;
        this.keeper = keeper;
        this.monitors = monitors;
        this.status = status;
        this.ready = ready;
        this.reload = reload;
    }

    /** The handlers by command name, for the control server. */
    Map<String, Function<JsonObject, Future<JsonObject>>> handlers() {
        Map<String, Function<JsonObject, Future<JsonObject>>> c = new LinkedHashMap<>();
        c.put("status", r -> status.get());
        c.put("wait-ready", r -> ready.map(x -> new JsonObject().put("ready", true))
                .otherwise(e -> new JsonObject().put("ready", false).put("error", e.getMessage())));
        c.put("reload", r -> reload.get());
        c.put("events", events.handler());
        for (Action a : Action.values()) {
            c.put(a.command, r -> act(Operation.of(a, r)));
        }
        return c;
    }

    /** Carries out an operator action and syncs the server's service; fails when there is no such server. */
    Future<JsonObject> act(Operation op) {
        Promise<JsonObject> p = Promise.promise();
        context.runOnContext(v -> {
            try {
                ServerId id = find(op.service(), op.server());
                op.action().apply(keeper, monitors, id);
                if (op.action() == Action.AUTO) {
                    intents.clear(id);
                } else {
                    intents.record(id, new Intents.Intent(op.action().command, op.reason(),
                            op.who() == null ? "operator" : op.who(), java.time.Instant.now()));
                }
                events.publish("operator", operatorEvent(keeper, id, op.action().command, op.reason(), op.who()));
                LOG.info(() -> "operator: " + op.action().command + " " + id
                        + (op.reason() == null ? "" : " (" + op.reason() + ")") + (op.who() == null ? "" : " by " + op.who()));
                context.runOnContext(x -> keeper.sync(List.of(id.service()))
                        .onComplete(ar -> p.complete(new JsonObject().put("ok", true))));
            } catch (IllegalArgumentException e) {
                p.fail(e.getMessage());
            }
        });
        return p.future();
    }

    /** The {@code operator} event: who set which override on which real server, and why. */
    static JsonObject operatorEvent(TableKeeper keeper, ServerId id, String action, String reason, String who) {
        Plan.Service s = keeper.planned(id.service());
        return new JsonObject().put("service", s == null ? id.service().ipvsadm() : s.name())
                .put("server", id.endpoint()).put("action", action).put("reason", reason).put("who", who);
    }

    private ServerId find(String service, String server) {
        if (service == null || server == null) {
            throw new IllegalArgumentException("name the virtual service (\"service\") and the real server (\"server\": IP:PORT)");
        }
        for (Plan.Service s : keeper.plan().services()) {
            if (s.name().equals(service) || s.spec().key().ipvsadm().equals(service)) {
                for (ServerId id : s.servers().keySet()) {
                    if (id.endpoint().equals(server)) {
                        return id;
                    }
                }
                throw new IllegalArgumentException("virtual service " + service + " has no active real server " + server);
            }
        }
        throw new IllegalArgumentException("no active virtual service " + service);
    }
}
