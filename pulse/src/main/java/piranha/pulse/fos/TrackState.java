package piranha.pulse.fos;

/**
 * The verdict of one tracked check from its results, keepalived's vrrp_script rules: it starts
 * unknown, which counts as passing (a director is not kept from its service before the first result);
 * {@code fall} failed checks in a row make it failing, {@code rise} good ones in a row passing again; the
 * first good result of an unknown check makes it passing at once. Pure; one thread at a time.
 */
final class TrackState {
    enum Health { UNKNOWN, PASSING, FAILING }

    private final int fall;
    private final int rise;
    private Health health = Health.UNKNOWN;
    private int good;
    private int bad;
    private String last = "";
    private long checks;
    private long failures;
    private long lastAtNanos = -1;

    TrackState(int fall, int rise) {
        this.fall = fall;
        this.rise = rise;
    }

    /** One result; true when it moved the check between failing and not failing. */
    boolean onResult(boolean healthy, String reason, long nowNanos) {
        checks++;
        last = reason == null ? "" : reason;
        lastAtNanos = nowNanos;
        boolean wasFailing = failing();
        if (healthy) {
            bad = 0;
            good++;
            if (health == Health.UNKNOWN || health == Health.FAILING && good >= rise) health = Health.PASSING;
        } else {
            failures++;
            good = 0;
            bad++;
            if (health != Health.FAILING && bad >= fall) health = Health.FAILING;
        }
        return wasFailing != failing();
    }

    boolean failing() {
        return health == Health.FAILING;
    }

    Health health() {
        return health;
    }

    String last() {
        return last;
    }

    long checks() {
        return checks;
    }

    long failures() {
        return failures;
    }

    /** Monotonic time of the last result, -1 before the first. */
    long lastAtNanos() {
        return lastAtNanos;
    }
}
