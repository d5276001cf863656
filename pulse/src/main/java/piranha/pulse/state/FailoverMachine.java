package piranha.pulse.state;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * pulse's failover logic (Piranha's LVS-mode transitions plus deterministic dual-active resolution and
 * explicit give-back) as a pure function of its inputs and an injected monotonic clock. It performs
 * nothing: each input returns the actions to take, in order. Not thread-safe; one thread drives it.
 */
public final class FailoverMachine {
    private static final int HISTORY = 32;
    /**
     * Without a partner nothing times out; the loop still wants a deadline, so it gets one this far
     * ahead (and the next after it): a lone primary's heartbeat thread sleeps until it is woken.
     */
    static final long NO_PARTNER_IDLE_NANOS = 3_600_000_000_000L;
    /** lvsd restarts without a partner: 1 s, doubled per failure in a row, at most a minute. */
    static final long RESTART_FIRST_NANOS = 1_000_000_000L;
    static final long RESTART_MAX_NANOS = 60_000_000_000L;
    /** An lvsd that ran this long since its last restart failed anew, not in a row: the backoff starts over. */
    static final long RESTART_STABLE_NANOS = 120_000_000_000L;

    private Settings settings;
    private final LongSupplier nanos;
    private long deadtime;

    private boolean started;
    private boolean active;
    private boolean linkFail;
    private boolean childFail;
    /** A failover service of ours failed (fos): CHILDFAIL's twin, cleared when the partner carries them. */
    private boolean serviceFail;
    /** Tracked checks failing now (LVS mode's track): not eligible while any fails. */
    private Set<String> trackFailing = Set.of();
    private Set<String> linksDown = Set.of();
    private PartnerState partner;
    private long lastHeartbeat = -1;
    private long need;
    private long partnerRunningSince;
    /** Both active and we stayed: re-announce once now and again when the partner has yielded. */
    private boolean dualActive;
    private long lastReannounce;
    private boolean roleClashWarned;
    private long lvsdRestarts;
    private long restartDelay;
    private long lastRestartAt;
    private final Deque<Transition> transitions = new ArrayDeque<>();
    /** Every transition since start, counted by reason (the history above keeps the last few). */
    private final java.util.Map<String, Long> transitionsByReason = new java.util.LinkedHashMap<>();

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
            if (active) deactivate(now, "terminating: deactivating LVS", out);
            out.add(new Action.Exit(0));
        }
        return out;
    }

    private void start(long now, List<Action> out) {
        if (started) throw new IllegalStateException("started twice");
        started = true;
        need = now + (settings.hasBackup() ? deadtime : NO_PARTNER_IDLE_NANOS);
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
        lastHeartbeat = now;
        need = now + deadtime;
        PartnerState before = partner;
        if (hb.state() == PeerState.STAND_DOWN) {
            partner = PartnerState.STOPPED;
            if (active) {
                serviceFail = true; // our services are unreachable from the partner: do not take them back
                deactivate(now, "partner asked us to stand down: deactivating lvs", out);
            }
            return;
        }
        partner = hb.state() == PeerState.RUNNING ? PartnerState.RUNNING : PartnerState.STOPPED;
        if (partner == PartnerState.RUNNING && before != PartnerState.RUNNING) partnerRunningSince = now;

        if (hb.state() == PeerState.RUNNING) {
            if (!active) {
                childFail = false; // Piranha: the partner carries the service; a new try is allowed later
                serviceFail = false;
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
        if (now - need >= 0) {
            if (!settings.hasBackup()) {
                need = now + NO_PARTNER_IDLE_NANOS; // no partner to declare dead: the deadline moves on
            } else {
                need = now + deadtime; // Piranha re-arms, so "partner dead" can fire again each deadtime
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
            need = now + NO_PARTNER_IDLE_NANOS;
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
            lastHeartbeat = -1;
        }
        if (heartbeatRestarted || lastHeartbeat < 0) {
            need = now + deadtime;
        } else {
            need = lastHeartbeat + deadtime; // a shorter deadtime may find the partner dead at once
        }
        giveBack(now, out);
    }

    private void giveBack(long now, List<Action> out) {
        if (settings.primary() && !active && !inhibited() && settings.givebackDelay() != null
                && partner == PartnerState.RUNNING
                && now - partnerRunningSince >= settings.givebackDelay().toNanos()) {
            activate(now, "giveback delay passed: activating lvs", out);
        }
    }

    private void links(Set<String> down, long now, List<Action> out) {
        Set<String> sorted = new TreeSet<>(down);
        if (!sorted.isEmpty() && !linkFail) {
            linkFail = true;
            for (String nic : sorted) out.add(new Action.Log(nic + " NIC: link down"));
            out.add(new Action.Log("Local NIC link failure: Pulse disabled"));
            if (active) deactivate(now, "local link failure: deactivating LVS", out);
        } else if (sorted.isEmpty() && linkFail) {
            linkFail = false;
            out.add(new Action.Log("Local NIC link(s) restored: Pulse enabled"));
        }
        linksDown = Set.copyOf(sorted);
    }

    private void lvsdFailed(String how, long now, List<Action> out) {
        if (!active) {
            if (!settings.lvsdOnStandby()) return; // lvsd we stopped ourselves, or a late report
            // The warm standby's lvsd: without it the next takeover would wait for a cold start.
            out.add(new Action.Log(how));
            restartLvsd(now, "the standby's lvsd failed", out);
            return;
        }
        out.add(new Action.Log(how));
        if (!partnerCanTakeOver()) {
            restartLvsd(now, "lvsd failed and " + (settings.hasBackup() ? "the partner cannot take over ("
                    + partner.name().toLowerCase(Locale.ROOT) + ")" : "no partner is configured"), out);
            return;
        }
        childFail = true;
        deactivate(now, "lvsd failed: deactivating LVS", out);
    }

    private void serviceFailed(String why, long now, List<Action> out) {
        out.add(new Action.Warn(why));
        serviceFail = true;
        if (!active) return;
        if (partnerCanTakeOver()) {
            deactivate(now, "failover service failed: deactivating lvs", out);
        } else {
            out.add(new Action.Warn("no partner can take over (" + partner.name().toLowerCase(Locale.ROOT)
                    + "): staying active"));
        }
    }

    private void tracked(Set<String> failing, long now, List<Action> out) {
        Set<String> sorted = new TreeSet<>(failing);
        boolean wasFailing = !trackFailing.isEmpty();
        trackFailing = Set.copyOf(sorted);
        if (!sorted.isEmpty() && !wasFailing) {
            out.add(new Action.Warn("tracked check failed: " + String.join(", ", sorted)));
            if (!active) return;
            if (partnerCanTakeOver()) {
                deactivate(now, "tracked check failed: deactivating lvs", out);
            } else {
                out.add(new Action.Warn("no partner can take over (" + partner.name().toLowerCase(Locale.ROOT)
                        + "): staying active"));
            }
        } else if (sorted.isEmpty() && wasFailing) {
            out.add(new Action.Log("tracked checks healthy"));
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

    private void restartLvsd(long now, String why, List<Action> out) {
        boolean inARow = lvsdRestarts > 0 && now - lastRestartAt < RESTART_STABLE_NANOS;
        restartDelay = !inARow ? RESTART_FIRST_NANOS : Math.min(RESTART_MAX_NANOS, restartDelay * 2);
        lastRestartAt = now + restartDelay;
        lvsdRestarts++;
        Duration delay = Duration.ofNanos(restartDelay);
        out.add(new Action.Warn(why + ": restarting lvsd in " + delay.toMillis() / 1000.0 + " s (restart " + lvsdRestarts + ")"));
        out.add(new Action.RestartLvsd(delay));
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
        record(now, true, reason);
        out.add(new Action.Log(reason));
        out.add(new Action.Activate());
        out.add(new Action.SendHeartbeat());
    }

    private void deactivate(long now, String reason, List<Action> out) {
        active = false;
        dualActive = false;
        record(now, false, reason);
        out.add(new Action.Log(reason));
        out.add(new Action.Deactivate(settings.lvsdOnStandby()));
        out.add(new Action.SendHeartbeat());
    }

    private void reannounce(long now, List<Action> out) {
        lastReannounce = now;
        out.add(new Action.Reannounce());
    }

    private void record(long now, boolean nowActive, String reason) {
        if (transitions.size() == HISTORY) transitions.removeFirst();
        transitions.addLast(new Transition(now, nowActive, reason));
        transitionsByReason.merge(reason, 1L, Long::sum);
    }

    /** Transitions since start by reason ("partner dead: activating lvs"...), for the metrics. */
    public java.util.Map<String, Long> transitionsByReason() {
        return java.util.Map.copyOf(transitionsByReason);
    }

    /** LINKFAIL, CHILDFAIL, a failed failover service or a failing tracked check: never activate by ourselves. */
    public boolean inhibited() {
        return linkFail || childFail || !eligible();
    }

    /** No failed failover service and no failing tracked check. */
    public boolean eligible() {
        return !serviceFail && trackFailing.isEmpty();
    }

    public Set<String> trackFailing() {
        return trackFailing;
    }

    public boolean active() {
        return active;
    }

    public boolean linkFail() {
        return linkFail;
    }

    public boolean childFail() {
        return childFail;
    }

    public Set<String> linksDown() {
        return linksDown;
    }

    public PartnerState partner() {
        return partner;
    }

    /** How often lvsd was restarted because no partner could take over. */
    public long lvsdRestarts() {
        return lvsdRestarts;
    }

    /** Monotonic time of the last valid heartbeat, or -1. */
    public long lastHeartbeatNanos() {
        return lastHeartbeat;
    }

    /** When the machine next needs a Tick (the partner-dead deadline or the give-back moment). */
    public long nextDeadlineNanos() {
        long next = need;
        if (settings.givebackDelay() != null && partner == PartnerState.RUNNING && !active) {
            long gb = partnerRunningSince + settings.givebackDelay().toNanos();
            if (gb - next < 0) next = gb;
        }
        return next;
    }

    public List<Transition> transitions() {
        return List.copyOf(transitions);
    }

    public Settings settings() {
        return settings;
    }
}
