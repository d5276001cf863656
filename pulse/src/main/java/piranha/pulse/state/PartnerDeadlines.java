package piranha.pulse.state;

import java.time.Duration;

/**
 * The machine's two moments: when the partner is declared dead (deadtime after its last heartbeat;
 * Piranha re-arms it each deadtime, so "partner dead" can fire again) and when a primary takes the
 * service back (the partner running for giveback_delay). Pure: the machine passes its clock's time.
 */
final class PartnerDeadlines {
    /**
     * Without a partner nothing times out; the loop still wants a deadline, so it gets one this far
     * ahead (and the next after it): a lone primary's heartbeat thread sleeps until it is woken.
     */
    static final long NO_PARTNER_IDLE_NANOS = 3_600_000_000_000L;

    private long need;
    private long lastHeartbeat = -1;
    private long partnerRunningSince;
    /** The grace of a held-up heartbeat thread was given since the partner was last heard. */
    private boolean graceGiven;

    /** Deadtime from now with a partner configured; without one, the idle deadline. */
    void arm(long now, long deadtime, boolean hasBackup) {
        need = now + (hasBackup ? deadtime : NO_PARTNER_IDLE_NANOS);
    }

    /** A valid heartbeat: the partner is alive for another deadtime. */
    void heard(long now, long deadtime) {
        lastHeartbeat = now;
        need = now + deadtime;
        graceGiven = false;
    }

    /**
     * This director was held up: a deadline due within grace moves to grace from now, once per
     * silence, so detection is late by at most one grace.
     */
    void grace(long now, long grace) {
        if (graceGiven || now + grace - need <= 0) return;
        graceGiven = true;
        need = now + grace;
    }

    /** The partner began to run now (the give-back delay counts from here). */
    void partnerRunning(long now) {
        partnerRunningSince = now;
    }

    boolean passed(long now) {
        return now - need >= 0;
    }

    /** A partner newly configured: nothing heard from it yet. */
    void forget() {
        lastHeartbeat = -1;
    }

    /**
     * SIGHUP with a partner: deadtime from its last heartbeat (a shorter deadtime may find it dead at
     * once), or from now when the sockets were bound anew or nothing was heard yet.
     */
    void rearm(long now, long deadtime, boolean heartbeatRestarted) {
        need = heartbeatRestarted || lastHeartbeat < 0 ? now + deadtime : lastHeartbeat + deadtime;
    }

    boolean givebackDue(long now, Duration givebackDelay) {
        return now - partnerRunningSince >= givebackDelay.toNanos();
    }

    /** The next moment: the partner-dead deadline, or the give-back moment when one is pending (non-null). */
    long next(Duration pendingGiveback) {
        long next = need;
        if (pendingGiveback != null) {
            long gb = partnerRunningSince + pendingGiveback.toNanos();
            if (gb - next < 0) next = gb;
        }
        return next;
    }

    /** Monotonic time of the last valid heartbeat, or -1. */
    long lastHeartbeat() {
        return lastHeartbeat;
    }
}
