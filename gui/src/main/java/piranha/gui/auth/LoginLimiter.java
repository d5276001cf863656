package piranha.gui.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Slows password guessing. An attempt is admitted, or refused, before its password is checked,
 * and an admitted attempt counts as a failure from that moment until it is reported good: so
 * parallel guesses see each other, and no more than {@link #FREE_ATTEMPTS} are ever checked for
 * one client address before it must wait.
 *
 * <ul>
 * <li>Per client address: after {@link #FREE_ATTEMPTS} failures, a lockout of 30 s that doubles
 * per further failure, up to 15 minutes. A good login clears the address's record.</li>
 * <li>Per account, from every address together: after {@link #ACCOUNT_FREE_ATTEMPTS} failures, the
 * same lockout for the account. It never applies to a browser that has logged in before (a
 * {@link DeviceCookie}), so guessing from many addresses cannot keep the operator out; a new
 * browser waits at most 15 minutes.</li>
 * <li>At most {@link #MAX_CONCURRENT_CHECKS} passwords are checked at once (each check is
 * 600,000 rounds of PBKDF2); an attempt beyond that is refused as busy and not counted.</li>
 * </ul>
 *
 * A record is forgotten an hour after its last failure; the table of addresses is bounded, the
 * oldest records going first.
 */
public final class LoginLimiter {
    public static final int FREE_ATTEMPTS = 5;
    public static final int ACCOUNT_FREE_ATTEMPTS = 20;
    public static final int MAX_CONCURRENT_CHECKS = 2;
    private static final Duration FIRST_LOCKOUT = Duration.ofSeconds(30);
    private static final Duration MAX_LOCKOUT = Duration.ofMinutes(15);
    /** Longer than the longest lockout, so that guessing once per lockout never starts afresh. */
    private static final Duration FORGET_AFTER = Duration.ofHours(1);
    private static final int MAX_CLIENTS = 10_000;

    private record Record(int failures, Instant lockedUntil, Instant last) {
        Record fail(Instant now, int free) {
            int n = failures + 1;
            Instant locked = null;
            if (n >= free) {
                Duration d = FIRST_LOCKOUT.multipliedBy(1L << Math.min(n - free, 10));
                locked = now.plus(d.compareTo(MAX_LOCKOUT) > 0 ? MAX_LOCKOUT : d);
            }
            return new Record(n, locked, now);
        }

        Record undo(int free) {
            return failures <= 1 ? null : new Record(failures - 1, failures - 1 >= free ? lockedUntil : null, last);
        }

        Duration wait(Instant now) {
            return lockedUntil == null || !lockedUntil.isAfter(now) ? Duration.ZERO : Duration.between(now, lockedUntil);
        }

        boolean forgotten(Instant now) {
            return last.plus(FORGET_AFTER).isBefore(now) && wait(now).isZero();
        }
    }

    /** The answer to a login attempt before its password is checked. */
    public sealed interface Answer permits Admitted, Refused {}

    /** Check the password, then report how it went through the attempt. */
    public record Admitted(Attempt attempt) implements Answer {}

    /** Not checked: {@code busy} when only the concurrency ceiling refused it (try again soon). */
    public record Refused(Duration retryAfter, boolean busy, String reason) implements Answer {}

    private final Clock clock;
    private final Map<String, Record> clients = new HashMap<>();
    private Record account;
    private int checking;

    public LoginLimiter(Clock clock) {
        this.clock = clock;
    }

    /**
     * Admits an attempt from {@code client} (counting it as a failure until reported good) or
     * refuses it. {@code knownDevice}: the browser showed a valid {@link DeviceCookie}.
     */
    public synchronized Answer admit(String client, boolean knownDevice) {
        Instant now = clock.instant();
        Record c = current(clients.get(client), now);
        if (c != null && !c.wait(now).isZero()) {
            return refused(c.wait(now), "Too many failed logins from your address; try again in %d seconds.");
        }
        account = current(account, now);
        if (!knownDevice && account != null && !account.wait(now).isZero()) {
            return refused(account.wait(now), "Too many failed logins for " + PasswordFile.USER
                    + " from several addresses; try again in %d seconds (a browser that logged in here before can log in now).");
        }
        if (checking >= MAX_CONCURRENT_CHECKS) {
            return new Refused(Duration.ofSeconds(1), true, "Too many logins are being checked at once; try again in a few seconds.");
        }
        checking++;
        if (clients.size() >= MAX_CLIENTS && !clients.containsKey(client)) {
            clients.entrySet().stream().min((a, b) -> a.getValue().last.compareTo(b.getValue().last))
                    .ifPresent(e -> clients.remove(e.getKey()));
        }
        clients.put(client, (c == null ? new Record(0, null, now) : c).fail(now, FREE_ATTEMPTS));
        if (!knownDevice) {
            account = (account == null ? new Record(0, null, now) : account).fail(now, ACCOUNT_FREE_ATTEMPTS);
        }
        return new Admitted(new Attempt(client, knownDevice));
    }

    private static Refused refused(Duration wait, String format) {
        return new Refused(wait, false, String.format(format, Math.max(1, (wait.toMillis() + 999) / 1000)));
    }

    private static Record current(Record r, Instant now) {
        return r == null || r.forgotten(now) ? null : r;
    }

    /** An admitted attempt; exactly one of its methods is called, once. */
    public final class Attempt {
        private final String client;
        private final boolean knownDevice;
        private boolean done;

        private Attempt(String client, boolean knownDevice) {
            this.client = client;
            this.knownDevice = knownDevice;
        }

        /**
         * The password was right: the address's record is cleared; the account keeps the failures
         * of others (the operator logging in must not give a guesser a fresh allowance).
         */
        public void succeeded() {
            synchronized (LoginLimiter.this) {
                if (finish()) {
                    clients.remove(client);
                    undoAccount();
                }
            }
        }

        /** The password was wrong: it stays counted. */
        public void failed() {
            synchronized (LoginLimiter.this) {
                finish();
            }
        }

        /** The password could not be checked (the password file is unreadable): not counted. */
        public void abandoned() {
            synchronized (LoginLimiter.this) {
                if (finish()) {
                    clients.computeIfPresent(client, (k, r) -> r.undo(FREE_ATTEMPTS));
                    undoAccount();
                }
            }
        }

        private void undoAccount() {
            if (!knownDevice && account != null) {
                account = account.undo(ACCOUNT_FREE_ATTEMPTS);
            }
        }

        private boolean finish() {
            if (done) {
                return false;
            }
            done = true;
            checking--;
            return true;
        }
    }
}
