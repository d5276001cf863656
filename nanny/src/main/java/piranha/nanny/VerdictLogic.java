package piranha.nanny;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;
import piranha.nanny.check.CheckResult;

/**
 * The decisions of one nanny, free of I/O and of real time (the clock is injected): from check
 * results, load samples and operator overrides to {@link Verdict}s.
 *
 * <ul>
 *   <li>One failed check takes an UP server out: DOWN, or QUIESCED (weight 0) with
 *       {@code quiesce_server} ({@code fall} consecutive failures with that extension).</li>
 *   <li>A server that is out returns after {@code reentry / timeout} (or {@code rise}) consecutive
 *       good checks; the count starts full, so a healthy server enters on its first good check.</li>
 *   <li>It enters at weight/32 (at least 1) and doubles about every 20 s up to its weight (slow
 *       start); a configured weight of 0 means 1.</li>
 *   <li>Once at its weight, with a load monitor, each period asks for a load sample and scales the
 *       weight by {@link LoadRule}.</li>
 *   <li>Overrides: force down, force up (both stop checking), back to automatic.</li>
 *   <li>A new configured weight (lvsd's reload) scales the weight in force to it at once.</li>
 * </ul>
 * The weight of its verdicts is the weight the table holds: the nanny owns it.
 */
public final class VerdictLogic {
    /** How often, while UP, the weight is reconsidered (Piranha: about every 20 s). */
    public static final long ADJUST_PERIOD_MS = 20_000;

    /** What a check result leads to: perhaps a verdict, perhaps a request to sample the load. */
    public record Step(Verdict verdict, boolean sampleLoad) {
        static final Step NOTHING = new Step(null, false);

        public Optional<Verdict> verdictIfAny() {
            return Optional.ofNullable(verdict);
        }
    }

    private final NannyConfig config;
    private final LongSupplier clockMillis;
    private final int threshold;
    private int configuredWeight;
    private int targetWeight;

    private HealthState state = HealthState.DOWN;
    private int weight;
    private int good;
    private int bad;
    private long lastAdjustAt;
    private Mode mode = Mode.AUTO;
    private String lastReason;
    private Duration lastLatency = Duration.ZERO;
    private CheckResult.Detail lastDetail = CheckResult.Detail.NONE;
    /** A check set the weight itself (a script's exit status): slow start and load leave it alone. */
    private boolean weightFromCheck;
    private long checks;
    private long failures;
    private long transitions;
    private long lastCheckAt = -1;

    public VerdictLogic(NannyConfig config, LongSupplier clockMillis) {
        this.config = config;
        this.clockMillis = clockMillis;
        this.threshold = config.reentryChecks();
        this.configuredWeight = config.weight();
        this.targetWeight = Math.max(1, config.weight());
        this.good = threshold;
    }

    /** Weight on (re)entry: weight / 32, at least 1. */
    public int startWeight() {
        return Math.max(1, configuredWeight >> 5);
    }

    public Step onCheck(CheckResult r) {
        if (mode != Mode.AUTO) {
            return Step.NOTHING; // a check that was running when the override came
        }
        checks++;
        lastCheckAt = clockMillis.getAsLong();
        lastReason = r.reason();
        lastLatency = r.latency();
        lastDetail = r.detail();
        if (!r.healthy()) {
            failures++;
            good = 0;
            bad++;
            if (state == HealthState.UP && bad >= config.fall()) {
                return new Step(change(config.quiesceServer() ? HealthState.QUIESCED : HealthState.DOWN, 0, r.reason(),
                        r.latency()), false);
            }
            return Step.NOTHING;
        }
        bad = 0;
        int asked = r.detail().weight();
        if (state != HealthState.UP) {
            good = Math.min(good + 1, Math.max(threshold, 1));
            if (good >= threshold) {
                lastAdjustAt = clockMillis.getAsLong();
                weightFromCheck = asked >= 0;
                return new Step(change(HealthState.UP, asked >= 0 ? asked : startWeight(), r.reason(), r.latency()), false);
            }
            return Step.NOTHING;
        }
        good = good == Integer.MAX_VALUE ? good : good + 1;
        if (asked >= 0) {
            weightFromCheck = true;
            return asked == weight ? Step.NOTHING
                    : new Step(change(HealthState.UP, asked, "weight " + weight + " -> " + asked + " set by the check ("
                            + r.reason() + ")", r.latency()), false);
        }
        if (weightFromCheck) {
            return Step.NOTHING; // keepalived's misc_dynamic: exit 0 leaves the weight as the script set it
        }
        long now = clockMillis.getAsLong();
        boolean due = config.intervalDuration().toMillis() > ADJUST_PERIOD_MS || now - lastAdjustAt >= ADJUST_PERIOD_MS;
        if (!due) {
            return Step.NOTHING;
        }
        lastAdjustAt = now;
        if (weight < targetWeight) {
            int next = Math.min(weight * 2, targetWeight);
            return new Step(change(HealthState.UP, next, "slow start: weight " + weight + " -> " + next, r.latency()),
                    false);
        }
        return new Step(null, config.loadMonitor() != null);
    }

    /** A load sample (empty when the command failed or printed no load): maybe a new weight. */
    public Optional<Verdict> onLoad(OptionalDouble load) {
        if (mode != Mode.AUTO || state != HealthState.UP || load.isEmpty() || weightFromCheck) {
            return Optional.empty();
        }
        int next = LoadRule.adjust(weight, targetWeight, config.scale(), load.getAsDouble());
        if (next == weight) {
            return Optional.empty();
        }
        return Optional.of(change(HealthState.UP, next,
                "load average " + load.getAsDouble() + ": weight " + weight + " -> " + next, Duration.ZERO));
    }

    /**
     * The configured weight is now {@code w} (a reload changed it): the weight in force keeps its
     * share of the full weight (at its weight it goes to the new one; in slow start or under load
     * monitoring it is scaled alike), and later steps aim at the new full weight. A verdict when
     * the weight in force changed.
     */
    public Optional<Verdict> reweigh(int w) {
        int before = targetWeight;
        configuredWeight = w;
        targetWeight = Math.max(1, w);
        if (state != HealthState.UP) {
            return Optional.empty();
        }
        long next = Math.max(1, Math.min(Integer.MAX_VALUE, Math.round((double) weight * targetWeight / before)));
        if (next == weight) {
            return Optional.empty();
        }
        return Optional.of(change(HealthState.UP, (int) next, "configured weight " + before + " -> " + targetWeight + ": weight "
                + weight + " -> " + next, Duration.ZERO));
    }

    /** Operator: take the server out and stop checking (Piranha's SIGUSR1). */
    public Optional<Verdict> forceDown() {
        mode = Mode.FORCED_DOWN;
        lastReason = "forced down by operator";
        if (state == HealthState.DOWN) {
            return Optional.empty();
        }
        return Optional.of(change(HealthState.DOWN, 0, lastReason, Duration.ZERO));
    }

    /** Operator: put the server in at its configured weight and stop checking (SIGUSR2). */
    public Optional<Verdict> forceUp() {
        mode = Mode.FORCED_UP;
        lastReason = "forced up by operator";
        if (state == HealthState.UP && weight == targetWeight) {
            return Optional.empty();
        }
        return Optional.of(change(HealthState.UP, targetWeight, lastReason, Duration.ZERO));
    }

    /** Operator: back to automatic; the next checks decide, with the re-entry count full (SIGHUP). */
    public void auto() {
        mode = Mode.AUTO;
        good = threshold;
        bad = 0;
    }

    public Mode mode() {
        return mode;
    }

    public HealthState state() {
        return state;
    }

    public int weight() {
        return weight;
    }

    public NannySnapshot snapshot() {
        return snapshot(null, 1);
    }

    /** The snapshot with what the nanny knows beside the verdicts: the check's kind, the probe's users. */
    public NannySnapshot snapshot(String kind, int probeUsers) {
        return new NannySnapshot(config.realServer(), state, weight, mode, lastReason, lastLatency, checks, failures,
                transitions, good, lastCheckAt, kind, lastDetail, probeUsers);
    }

    private Verdict change(HealthState next, int nextWeight, String reason, Duration latency) {
        if ((next == HealthState.UP) != (state == HealthState.UP)) {
            transitions++;
        }
        if (next != HealthState.UP) {
            weightFromCheck = false;
        }
        state = next;
        weight = nextWeight;
        return new Verdict(config.realServer(), next, nextWeight, reason, latency);
    }
}
