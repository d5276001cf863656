package piranha.lvsd;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

import piranha.daemon.EventLog;

/**
 * Puts back, after a restart, the operator's drains and forced states that {@link Intents} kept in
 * {@code lvsd.state}: before the first table, so a drained server never takes new connections in
 * between. A forced state needs its nanny running; the intents whose nanny is not (yet) up stay
 * pending and are tried again every second. Runs on lvsd's context.
 */
final class IntentRestore {
    private static final Logger LOG = Logger.getLogger("piranha.lvsd");

    private final Intents intents;
    private final TableKeeper keeper;
    private final Monitors monitors;
    private final EventLog events;
    private final Set<ServerId> pending = new LinkedHashSet<>();

    IntentRestore(Intents intents, TableKeeper keeper, Monitors monitors, EventLog events) {
        this.intents = intents;
        this.keeper = keeper;
        this.monitors = monitors;
        this.events = events;
    }

    /** Drains and forced states the state file kept across a restart, applied before the first table. */
    void restore(Plan plan) {
        for (Plan.Service s : plan.services()) {
            for (ServerId id : s.servers().keySet()) {
                if (intents.of(id) != null) {
                    pending.add(id);
                }
            }
        }
        retry();
    }

    /** Applies the restored intents whose nanny runs; the others are tried again at the next call. */
    void retry() {
        for (var it = pending.iterator(); it.hasNext();) {
            ServerId id = it.next();
            Intents.Intent i = intents.of(id);
            ControlCommands.Action a = i == null ? null : ControlCommands.action(i.action());
            if (a == null || a == ControlCommands.Action.AUTO || keeper.planned(id.service()) == null) {
                it.remove();
                continue;
            }
            try {
                a.apply(keeper, monitors, id);
            } catch (IllegalArgumentException e) {
                continue; // its nanny is (re)starting
            }
            it.remove();
            keeper.sync(List.of(id.service()));
            events.publish("operator", ControlCommands.operatorEvent(keeper, id, i.action(), i.reason(), i.who())
                    .put("restored", true));
            LOG.info(() -> "operator intent restored: " + i.action() + " " + id + " (by " + i.who() + " at " + i.when()
                    + (i.reason() == null ? "" : ": " + i.reason()) + ")");
        }
    }

    /** Whether any restored intent still waits for its nanny. */
    boolean pending() {
        return !pending.isEmpty();
    }
}
