package piranha.pulse.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * pulse's failover logic (Piranha's LVS-mode transitions plus deterministic dual-active resolution and
 * explicit give-back) as a pure function of its inputs and an injected monotonic clock. It performs
 * nothing: each input returns the actions to take, in order. Not thread-safe; one thread drives it.
 */
public final class FailoverMachine {
    /** An lvsd that ran this long since its last restart failed anew, not in a row: the backoff starts over. */
    static final long RESTART_STABLE_NANOS = LvsdRestarts.STABLE_NANOS;

    private Settings settings;
    private final LongSupplier nanos;
    private long deadtime;

    private boolean started;
    private boolean active;
    /** LINKFAIL, CHILDFAIL, a failed failover service, failing tracked checks. */
    private final Inhibitions inhibitions = new Inhibitions();
    private PartnerState partner;
    private final PartnerDeadlines deadlines = new PartnerDeadlines();
    /** Both active and we stayed: re-announce once now and again when the partner has yielded. */
    private boolean dualActive;
    private long lastReannounce;
    private boolean roleClashWarned;
    private final LvsdRestarts restarts = new LvsdRestarts();
    private final TransitionHistory history = new TransitionHistory();

    public FailoverMachine(Settings settings, LongSupplier monotonicNanos) {
        this.settings = settings;
        this.nanos = monotonicNanos;
        this.deadtime = settings.deadtime().toNanos();
        this.partner = settings.hasBackup() ? PartnerState.UNKNOWN : PartnerState.NONE;
    }

    public List<Action> handle(Input input) {
        List<Action> out = new ArrayList<>();
        long now = nanos.getAsLong();
        if (input instanceof Input.Start) {
            start(now, out);
        } else if (!started) {
            throw new IllegalStateException("input before Start: " + input);
        } else if (input instanceof Input.PartnerHeartbeat hb) {
            heartbeat(hb.heartbeat(), now, out);
        } else if (input instanceof Input.Tick) {
            tick(now, out);
        } else if (input instanceof Input.HeldUp h) {
            if (settings.hasBackup() && partner != PartnerState.DEAD) deadlines.grace(now, h.graceNanos());
        } else if (input instanceof Input.Links l) {
            links(l.down(), now, out);
        } else if (input instanceof Input.LvsdFailed f) {
            lvsdFailed(f.how(), now, out);
        } else if (input instanceof Input.Reconfigure r) {
            reconfigure(r.settings(), r.heartbeatRestarted(), now, out);
        } else if (input instanceof Input.ServiceFailed f) {
            serviceFailed(f.why(), now, out);
        } else if (input instanceof Input.TrackedChecks t) {
            tracked(t.failing(), now, out);
        } else if (input instanceof Input.PartnerServiceFailed f) {
            partnerServiceFailed(f.why(), f.gatewayReachable(), now, out);
        } else if (input instanceof Input.Terminate t) {
            out.add(new Action.Log("Terminating due to signal " + t.signal()));
            // lvsd goes with pulse: the warm standby's "keep it ready" would start or wait for one
            if (active) deactivate(now, "terminating: deactivating LVS", false, out);
            out.add(new Action.Exit(0));
        }
        return out;
    }

    private void start(long now, List<Action> out) {
        if (started) throw new IllegalStateException("started twice");
        started = true;
        deadlines.arm(now, deadtime, settings.hasBackup());
        if (!settings.primary() && !settings.hasBackup()) {
            out.add(new Action.Log("BACKUP with backup_active = 0: pulse exiting"));
            out.add(new Action.Exit(0));
            return;
        }
        out.add(new Action.Log(settings.primary() ? "STARTING PULSE AS MASTER" : "STARTING PULSE AS BACKUP"));
        // Piranha's prologue (inactive_cmd, sync daemon as backup); it also clears addresses a killed
        // predecessor may have left behind.
        out.add(new Action.Deactivate(settings.lvsdOnStandby()));
        if (settings.forceActive()) {
            activate(now, "Forced active on startup: activating lvs", out);
        } else if (settings.primary() && !settings.hasBackup()) {
            activate(now, "no backup configured: activating lvs", out);
        }
    }

    private void heartbeat(Heartbeat hb, long now, List<Action> out) {
        deadlines.heard(now, deadtime);
        PartnerState before = partner;
        if (hb.state() == PeerState.STAND_DOWN) {
            partner = PartnerState.STOPPED;
            if (active) {
                inhibitions.serviceFailed(); // our services are unreachable from the partner: do not take them back
                deactivate(now, "partner asked us to stand down: deactivating lvs", out);
            }
            return;
        }
        partner = hb.state() == PeerState.RUNNING ? PartnerState.RUNNING : PartnerState.STOPPED;
        if (partner == PartnerState.RUNNING && before != PartnerState.RUNNING) deadlines.partnerRunning(now);

        if (hb.state() == PeerState.RUNNING) {
            if (!active) {
                inhibitions.partnerCarries(); // Piranha: a new try is allowed later
                giveBack(now, out);
            } else if (eligible() && weWinAgainst(hb, out)) {
                if (!dualActive || now - lastReannounce >= deadtime) {
                    out.add(new Action.Log("partner active: resending arps"));
                    reannounce(now, out);
                }
                dualActive = true;
            } else {
                deactivate(now, "partner active: deactivating LVS", out);
            }
        } else {
            if (active && !eligible()) {
                // we stayed active only because no partner was there to take over: it is now
                deactivate(now, "partner can take over: deactivating lvs", out);
            } else if (active) {
                if (dualActive || before == PartnerState.DEAD) {
                    // The partner has just yielded, or is back after a silence (partition, restart) in
                    // which it may have taken the addresses: pull every neighbour back to us now.
                    dualActive = false;
                    out.add(new Action.Log("partner inactive: resending arps"));
                    reannounce(now, out);
                }
            } else if (!inhibited()) {
                activate(now, settings.primary() ? "backup inactive: activating lvs"
                        : "primary inactive: activating lvs", out);
            }
        }
    }

    private void tick(long now, List<Action> out) {
        if (deadlines.passed(now)) {
            // Piranha re-arms, so "partner dead" can fire again; with no partner to declare dead it moves on
            deadlines.arm(now, deadtime, settings.hasBackup());
            if (settings.hasBackup()) {
                partner = PartnerState.DEAD;
                dualActive = false;
                if (!active && !inhibited()) activate(now, "partner dead: activating lvs", out);
            }
        }
        giveBack(now, out);
    }

    /**
     * SIGHUP: the new settings apply at once and the role is judged again as at start, without Piranha's
     * start-up deactivation: an active node stays active unless it can no longer be (a lone backup exits);
     * a node that became a lone primary activates; otherwise the next heartbeat or deadline decides.
     */
    private void reconfigure(Settings s, boolean heartbeatRestarted, long now, List<Action> out) {
        Settings old = settings;
        settings = s;
        deadtime = s.deadtime().toNanos();
        roleClashWarned = false;
        if (old.primary() != s.primary()) {
            out.add(new Action.Log("role changed: now " + (s.primary() ? "primary" : "backup")));
        }
        if (!s.hasBackup()) {
            partner = PartnerState.NONE;
            dualActive = false;
            deadlines.arm(now, deadtime, false);
            if (!s.primary()) {
                out.add(new Action.Log("BACKUP with backup_active = 0: pulse exiting"));
                if (active) deactivate(now, "no partner to serve: deactivating LVS", out);
                out.add(new Action.Exit(0));
            } else if (!active && !inhibited()) {
                activate(now, "no backup configured: activating lvs", out);
            }
            return;
        }
        if (!old.hasBackup()) {
            partner = PartnerState.UNKNOWN;
            deadlines.forget();
        }
        deadlines.rearm(now, deadtime, heartbeatRestarted);
        giveBack(now, out);
    }

    private void giveBack(long now, List<Action> out) {
        if (settings.primary() && !active && !inhibited() && settings.givebackDelay() != null
                && partner == PartnerState.RUNNING
                && deadlines.givebackDue(now, settings.givebackDelay())) {
            activate(now, "giveback delay passed: activating lvs", out);
        }
    }

    private void links(Set<String> down, long now, List<Action> out) {
        if (inhibitions.links(down, out) == Inhibitions.Change.FAILED && active) {
            deactivate(now, "local link failure: deactivating LVS", out);
        }
    }

    private void lvsdFailed(String how, long now, List<Action> out) {
        if (!active) {
            if (!settings.lvsdOnStandby()) return; // lvsd we stopped ourselves, or a late report
            // The warm standby's lvsd: without it the next takeover would wait for a cold start.
            out.add(new Action.Log(how));
            restarts.restart(now, "the standby's lvsd failed", out);
            return;
        }
        out.add(new Action.Log(how));
        if (!partnerCanTakeOver()) {
            restarts.restart(now, "lvsd failed and " + (settings.hasBackup() ? "the partner cannot take over ("
                    + partner.name().toLowerCase(Locale.ROOT) + ")" : "no partner is configured"), out);
            return;
        }
        inhibitions.childFailed();
        deactivate(now, "lvsd failed: deactivating LVS", out);
    }

    private void serviceFailed(String why, long now, List<Action> out) {
        out.add(new Action.Warn(why));
        inhibitions.serviceFailed();
        if (active) standDownIfPartnerCan(now, "failover service failed: deactivating lvs", out);
    }

    private void tracked(Set<String> failing, long now, List<Action> out) {
        Inhibitions.Change change = inhibitions.tracked(failing, out);
        if (change == Inhibitions.Change.FAILED) {
            if (active) standDownIfPartnerCan(now, "tracked check failed: deactivating lvs", out);
        } else if (change == Inhibitions.Change.HEALED) {
            // nobody carries the service: take it; a running partner keeps it (the give-back policy decides)
            if (!active && !inhibited() && (partner == PartnerState.STOPPED || partner == PartnerState.DEAD
                    || partner == PartnerState.NONE && settings.primary())) {
                activate(now, "tracked checks healthy: activating lvs", out);
            }
            giveBack(now, out);
        }
    }

    /**
     * fos --monitor: the standby's probe of a partner's service failed. With our own network fine we
     * ask the partner to stand down and take over at its "stopped" (never both active); with our
     * gateway unreachable the fault may be ours (Piranha's "network fault"): stay passive.
     */
    private void partnerServiceFailed(String why, boolean gatewayReachable, long now, List<Action> out) {
        if (active || inhibited()) return;
        if (!gatewayReachable) {
            out.add(new Action.Warn(why + "; default gateway unreachable: network fault, staying passive"));
            return;
        }
        if (partner == PartnerState.RUNNING) {
            out.add(new Action.Log(why + ": asking partner to stand down"));
            out.add(new Action.RequestStandDown());
        } else if (partner == PartnerState.STOPPED) {
            activate(now, why + ": activating lvs", out);
        } // silent or dead partner: the deadtime rules decide
    }

    /**
     * A partner we hear from can carry the service: hand over as Piranha did. Without one (none
     * configured, silent or dead) standing down would only end the service: lvsd is started again.
     */
    private boolean partnerCanTakeOver() {
        return settings.hasBackup() && (partner == PartnerState.STOPPED || partner == PartnerState.RUNNING);
    }

    /** An active director whose service failed here: hand over if the partner can carry it, else stay. */
    private void standDownIfPartnerCan(long now, String reason, List<Action> out) {
        if (partnerCanTakeOver()) {
            deactivate(now, reason, out);
        } else {
            out.add(new Action.Warn("no partner can take over (" + partner.name().toLowerCase(Locale.ROOT)
                    + "): staying active"));
        }
    }

    /** Primary wins; two nodes claiming one role (misconfiguration) are ordered by address. */
    private boolean weWinAgainst(Heartbeat hb, List<Action> out) {
        if (hb.claimsPrimary() == null || hb.claimsPrimary() != settings.primary()) return settings.primary();
        if (!roleClashWarned) {
            roleClashWarned = true;
            out.add(new Action.Warn("partner claims the same role ("
                    + (settings.primary() ? "primary" : "backup") + "); check primary/backup in lvs.cf;"
                    + " the lower address stays active"));
        }
        return Integer.compareUnsigned(settings.ownNode(), hb.node()) < 0;
    }

    private void activate(long now, String reason, List<Action> out) {
        active = true;
        dualActive = false;
        lastReannounce = now;
        history.record(now, true, reason);
        out.add(new Action.Log(reason));
        out.add(new Action.Activate());
        out.add(new Action.SendHeartbeat());
    }

    private void deactivate(long now, String reason, List<Action> out) {
        deactivate(now, reason, settings.lvsdOnStandby(), out);
    }

    private void deactivate(long now, String reason, boolean lvsdStaysReady, List<Action> out) {
        active = false;
        dualActive = false;
        history.record(now, false, reason);
        out.add(new Action.Log(reason));
        out.add(new Action.Deactivate(lvsdStaysReady));
        out.add(new Action.SendHeartbeat());
    }

    private void reannounce(long now, List<Action> out) {
        lastReannounce = now;
        out.add(new Action.Reannounce());
    }

    /** Transitions since start by reason ("partner dead: activating lvs"...), for the metrics. */
    public Map<String, Long> transitionsByReason() {
        return history.byReason();
    }

    /** LINKFAIL, CHILDFAIL, a failed failover service or a failing tracked check: never activate by ourselves. */
    public boolean inhibited() {
        return inhibitions.inhibited();
    }

    /** No failed failover service and no failing tracked check. */
    public boolean eligible() {
        return inhibitions.eligible();
    }

    public Set<String> trackFailing() {
        return inhibitions.trackFailing();
    }

    public boolean active() {
        return active;
    }

    public boolean linkFail() {
        return inhibitions.linkFail();
    }

    public boolean childFail() {
        return inhibitions.childFail();
    }

    public Set<String> linksDown() {
        return inhibitions.linksDown();
    }

    public PartnerState partner() {
        return partner;
    }

    /** How often lvsd was restarted because no partner could take over. */
    public long lvsdRestarts() {
        return restarts.count();
    }

    /** Monotonic time of the last valid heartbeat, or -1. */
    public long lastHeartbeatNanos() {
        return deadlines.lastHeartbeat();
    }

    /** When the machine next needs a Tick (the partner-dead deadline or the give-back moment). */
    public long nextDeadlineNanos() {
        return deadlines.next(partner == PartnerState.RUNNING && !active ? settings.givebackDelay() : null);
    }

    public List<Transition> transitions() {
        return history.last();
    }

    public Settings settings() {
        return settings;
    }
}
