package piranha.nanny.check;

import java.time.Duration;
import java.time.Instant;

/**
 * The outcome of one check of one real server.
 *
 * @param healthy  whether the server passed
 * @param reason   what happened, for operators ("connect to 198.51.100.21:80 timed out after 6 s")
 * @param logLine  the line Piranha's nanny logged for this outcome ("CONNECT to IP:PORT timed out"),
 *                 or null when Piranha logged nothing of its own
 * @param latency  how long the check took
 * @param detail   what the protocol said (status code, certificate expiry, a weight), or {@link Detail#NONE}
 */
public record CheckResult(boolean healthy, String reason, String logLine, Duration latency, Detail detail) {

    /**
     * What a check kind learnt besides pass or fail.
     *
     * @param code         the protocol's own code: HTTP status, SMTP reply code, DNS response code,
     *                     the script's exit status; -1 when there was none
     * @param certNotAfter the end of validity of the server's TLS certificate, or null
     * @param weight       the weight the server asked for (a script's exit status 2 to 255), or -1
     */
    public record Detail(int code, Instant certNotAfter, int weight) {
        public static final Detail NONE = new Detail(-1, null, -1);

        public static Detail code(int code) {
            return new Detail(code, null, -1);
        }
    }

    public CheckResult(boolean healthy, String reason, String logLine, Duration latency) {
        this(healthy, reason, logLine, latency, Detail.NONE);
    }

    public static CheckResult pass(String reason, long startNanos) {
        return new CheckResult(true, reason, null, since(startNanos));
    }

    public static CheckResult fail(String reason, long startNanos) {
        return new CheckResult(false, reason, null, since(startNanos));
    }

    public static CheckResult fail(String reason, String logLine, long startNanos) {
        return new CheckResult(false, reason, logLine, since(startNanos));
    }

    public CheckResult with(Detail d) {
        return new CheckResult(healthy, reason, logLine, latency, d);
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
