package piranha.nanny.check;

import java.time.Duration;

/**
 * The outcome of one check of one real server.
 *
 * @param healthy  whether the server passed
 * @param reason   what happened, for operators ("connect to 198.51.100.21:80 timed out after 6 s")
 * @param logLine  the line Piranha's nanny logged for this outcome ("CONNECT to IP:PORT timed out"),
 *                 or null when Piranha logged nothing of its own
 * @param latency  how long the check took
 */
public record CheckResult(boolean healthy, String reason, String logLine, Duration latency) {

    public static CheckResult pass(String reason, long startNanos) {
        return new CheckResult(true, reason, null, since(startNanos));
    }

    public static CheckResult fail(String reason, long startNanos) {
        return new CheckResult(false, reason, null, since(startNanos));
    }

    public static CheckResult fail(String reason, String logLine, long startNanos) {
        return new CheckResult(false, reason, logLine, since(startNanos));
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
