package piranha.nanny.check;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code check = smtp}: read the banner, which must be 220, send {@code EHLO smtp_helo}, which must
 * be answered 250, then send QUIT and close. Multi-line replies ({@code 250-...}) are read to their
 * last line. A 554 banner, any other code, a server that never speaks or trickles: a failure with
 * the server's words, within the one deadline.
 */
public final class SmtpCheck implements Check {
    /** A reply longer than this is not an SMTP server's. */
    static final int MAX_REPLY_BYTES = 16 * 1024;

    private final Vertx vertx;
    private final NetClient client;
    private final Target target;
    private final String helo;
    private final Duration timeout;

    public SmtpCheck(Vertx vertx, NetClient client, Target target, String helo, Duration timeout) {
        this.vertx = vertx;
        this.client = client;
        this.target = target;
        this.helo = helo;
        this.timeout = timeout;
    }

    @Override
    public Future<CheckResult> run() {
        return new Attempt().start();
    }

    @Override
    public String describe() {
        return "SMTP EHLO " + helo + " " + target;
    }

    @Override
    public String kind() {
        return "smtp";
    }

    private final class Attempt {
        private final long begin = System.nanoTime();
        private final Promise<CheckResult> result = Promise.promise();
        private final StringBuilder reply = new StringBuilder();
        private NetSocket socket;
        private long timer;
        private boolean ehloSent;

        Future<CheckResult> start() {
            timer = vertx.setTimer(timeout.toMillis(), id -> finish(socket == null
                    ? TcpFailures.connectTimedOut(target, timeout, begin)
                    : CheckResult.fail("SMTP " + target + " timed out after " + Seconds.show(timeout) + " waiting for the "
                            + (ehloSent ? "EHLO reply" : "banner") + (reply.length() == 0 ? "" : ", got '" + shown() + "'"),
                            "READ to " + target + " timed out", begin)));
            client.connect(new ConnectOptions().setHost(target.host()).setPort(target.port())
                    .setTimeout((int) timeout.toMillis())).onComplete(ar -> {
                        if (ar.failed()) {
                            finish(TcpFailures.connectFailed(target, timeout, ar.cause(), begin));
                        } else if (result.future().isComplete()) {
                            ar.result().close();
                        } else {
                            socket = ar.result();
                            socket.handler(this::received);
                            socket.closeHandler(v -> finish(CheckResult.fail("SMTP " + target + " closed the connection "
                                    + (ehloSent ? "after EHLO" : "before its banner")
                                    + (reply.length() == 0 ? "" : ", got '" + shown() + "'"), begin)));
                            socket.exceptionHandler(e -> finish(CheckResult.fail("connection to " + target + " failed: "
                                    + TcpFailures.message(e), begin)));
                        }
                    });
            return result.future();
        }

        private void received(Buffer chunk) {
            if (result.future().isComplete()) {
                return;
            }
            reply.append(chunk.toString(StandardCharsets.ISO_8859_1));
            if (reply.length() > MAX_REPLY_BYTES) {
                finish(CheckResult.fail("SMTP " + target + " sent more than " + MAX_REPLY_BYTES + " bytes without ending its reply", begin));
                return;
            }
            int code = complete();
            if (code < 0) {
                return;
            }
            if (code == 0) {
                finish(CheckResult.fail("SMTP " + target + " sent something else than an SMTP reply: '" + shown() + "'", begin));
                return;
            }
            if (!ehloSent) {
                if (code != 220) {
                    finish(CheckResult.fail("SMTP banner " + code + " from " + target + ": '" + shown() + "'", begin)
                            .with(CheckResult.Detail.code(code)));
                    return;
                }
                ehloSent = true;
                reply.setLength(0);
                socket.write(Buffer.buffer("EHLO " + helo + "\r\n"));
            } else if (code != 250) {
                finish(CheckResult.fail("SMTP EHLO " + helo + " answered " + code + " by " + target + ": '" + shown() + "'",
                        begin).with(CheckResult.Detail.code(code)));
            } else {
                socket.write(Buffer.buffer("QUIT\r\n"));
                finish(CheckResult.pass("SMTP 250 from " + target + " to EHLO " + helo, begin).with(CheckResult.Detail.code(code)));
            }
        }

        /** The code of a complete reply (its last line is "NNN " or "NNN"), -1 while it goes on, 0 if malformed. */
        private int complete() {
            int end = reply.lastIndexOf("\n");
            if (end < 0) {
                return -1;
            }
            String[] lines = reply.substring(0, end).replace("\r", "").split("\n");
            for (String l : lines) {
                if (!l.matches("[0-9]{3}([ -].*)?")) {
                    return 0;
                }
            }
            String last = lines[lines.length - 1];
            if (last.length() > 3 && last.charAt(3) == '-') {
                return -1;
            }
            return Integer.parseInt(last.substring(0, 3));
        }

        private String shown() {
            String s = reply.toString().strip();
            byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
            return Escapes.show(b, b.length, 80);
        }

        private void finish(CheckResult r) {
            if (!result.tryComplete(r)) {
                return;
            }
            vertx.cancelTimer(timer);
            if (socket != null) {
                socket.handler(null);
                socket.closeHandler(null);
                socket.close();
            }
        }
    }
}
