package piranha.nanny.check;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;

/** Reasons and Piranha log lines for TCP check failures, shared by the TCP check kinds. */
final class TcpFailures {
    private TcpFailures() {}

    static CheckResult connectTimedOut(Target target, Duration timeout, long start) {
        return CheckResult.fail("connect to " + target + " timed out after " + Seconds.show(timeout),
                "CONNECT to " + target + " timed out", start);
    }

    static CheckResult readTimedOut(Target target, Duration timeout, ReplyBuffer reply, long start) {
        String got = reply.length() == 0 ? "nothing" : reply.length() + " bytes '" + reply.show() + "'";
        return CheckResult.fail("read from " + target + " timed out after " + Seconds.show(timeout)
                + ", got " + got, "READ to " + target + " timed out", start);
    }

    static CheckResult connectFailed(Target target, Duration timeout, Throwable cause, long start) {
        if (isTimeout(cause)) {
            return connectTimedOut(target, timeout, start);
        }
        if (cause instanceof ConnectException && String.valueOf(cause.getMessage()).contains("refused")) {
            return CheckResult.fail("connect to " + target + " refused", start);
        }
        return CheckResult.fail("connect to " + target + " failed: " + message(cause), start);
    }

    static boolean isTimeout(Throwable cause) {
        // Netty reports its own connect timeout as io.netty.channel.ConnectTimeoutException.
        return cause.getClass().getSimpleName().contains("Timeout")
                || String.valueOf(cause.getMessage()).contains("timed out");
    }

    static String message(Throwable cause) {
        String m = cause.getMessage();
        if (m == null || m.isBlank()) {
            return cause instanceof IOException ? "I/O error" : cause.getClass().getSimpleName();
        }
        // Netty prefixes "connection refused: host/ip:port"; the reason already names the target.
        int colon = m.indexOf(": ");
        return colon > 0 && m.substring(colon).contains("/") ? m.substring(0, colon) : m;
    }
}
