package piranha.gui.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The login limits as rules, on a clock the test moves. */
class LoginLimiterTest {
    private Instant now = Instant.parse("2026-11-22T00:00:00Z");
    private final LoginLimiter limiter = new LoginLimiter(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId z) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    private LoginLimiter.Attempt admitted(String client, boolean knownDevice) {
        LoginLimiter.Answer a = limiter.admit(client, knownDevice);
        assertThat(a).as(client).isInstanceOf(LoginLimiter.Admitted.class);
        return ((LoginLimiter.Admitted) a).attempt();
    }

    private LoginLimiter.Refused refused(String client, boolean knownDevice) {
        LoginLimiter.Answer a = limiter.admit(client, knownDevice);
        assertThat(a).as(client).isInstanceOf(LoginLimiter.Refused.class);
        return (LoginLimiter.Refused) a;
    }

    @Test
    void anAddressGetsFiveFailuresThenALockoutThatDoubles() {
        for (int i = 0; i < LoginLimiter.FREE_ATTEMPTS; i++) {
            admitted("a", false).failed();
        }
        LoginLimiter.Refused r = refused("a", false);
        assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(r.busy()).isFalse();
        assertThat(r.reason()).isEqualTo("Too many failed logins from your address; try again in 30 seconds.");
        admitted("b", false).failed(); // other addresses are not held back
        now = now.plusSeconds(31);
        admitted("a", false).failed();
        assertThat(refused("a", false).retryAfter()).isEqualTo(Duration.ofSeconds(60));
        now = now.plusSeconds(61);
        admitted("a", false).succeeded();
        for (int i = 0; i < LoginLimiter.FREE_ATTEMPTS; i++) {
            admitted("a", false).failed(); // a good login cleared the address
        }
        refused("a", false);
    }

    /** The review's race: parallel guesses were all checked. Counted at admission, five are. */
    @Test
    void parallelGuessesFromOneAddressAdmitFiveAtMost() throws Exception {
        AtomicInteger checked = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int n = 0; n < 50; n++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 1_000; i++) { // retries while only the ceiling refuses
                    LoginLimiter.Answer a = limiter.admit("10.0.0.1", false);
                    if (a instanceof LoginLimiter.Admitted ok) {
                        checked.incrementAndGet();
                        Thread.onSpinWait(); // the password check
                        ok.attempt().failed();
                    } else if (!((LoginLimiter.Refused) a).busy()) {
                        return;
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join(30_000);
        }
        assertThat(checked.get()).isEqualTo(LoginLimiter.FREE_ATTEMPTS);
    }

    @Test
    void atMostTwoPasswordsAreCheckedAtOnce() {
        LoginLimiter.Attempt a = admitted("a", false);
        LoginLimiter.Attempt b = admitted("b", true);
        LoginLimiter.Refused busy = refused("c", true);
        assertThat(busy.busy()).isTrue();
        assertThat(busy.reason()).contains("being checked at once");
        a.failed();
        LoginLimiter.Attempt c = admitted("c", false);
        b.succeeded();
        c.abandoned();
        admitted("d", false).failed();
        // A busy refusal is not a failure: "c" still has all its attempts.
        for (int i = 0; i < LoginLimiter.FREE_ATTEMPTS; i++) {
            admitted("c", false).failed();
        }
        refused("c", false);
    }

    @Test
    void manyAddressesLockTheAccountForNewBrowsersOnlyAndNeverForLong() {
        for (int i = 0; i < LoginLimiter.ACCOUNT_FREE_ATTEMPTS; i++) {
            admitted("10.1.0." + i, false).failed();
        }
        LoginLimiter.Refused r = refused("10.2.0.1", false);
        assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(r.reason()).contains("Too many failed logins for piranha from several addresses")
                .contains("a browser that logged in here before can log in now");
        // The operator's browser (device cookie) is not held back, and its failures do not feed the account's count.
        admitted("192.0.2.7", true).failed();
        admitted("192.0.2.7", true).succeeded();
        now = now.plusSeconds(31);
        admitted("10.2.0.1", false).failed();
        assertThat(refused("10.2.0.2", false).retryAfter()).isEqualTo(Duration.ofSeconds(60));
        // However long the guessing goes on, a new browser waits at most 15 minutes.
        for (int i = 0; i < 30; i++) {
            Duration wait = refused("10.3.0.1", false).retryAfter();
            assertThat(wait).isLessThanOrEqualTo(Duration.ofMinutes(15));
            now = now.plus(wait).plusSeconds(1);
            admitted("10.4.0." + i, false).failed();
        }
        assertThat(refused("10.3.0.1", false).retryAfter()).isEqualTo(Duration.ofMinutes(15));
        // Forgotten an hour after the last failure.
        now = now.plus(Duration.ofMinutes(61));
        admitted("10.3.0.1", false).failed();
        admitted("10.3.0.2", false).failed();
    }

    @Test
    void anAttemptThatCouldNotBeCheckedIsNotCounted() {
        for (int i = 0; i < 3 * LoginLimiter.ACCOUNT_FREE_ATTEMPTS; i++) {
            admitted("a", false).abandoned();
        }
        admitted("a", false).failed();
        admitted("b", false).failed();
    }
}
