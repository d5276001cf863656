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
 * TCP check with {@code send} and/or {@code expect}: connect, write the send string once, then read
 * until the {@link Expectation} can decide, the server closes or resets, or the deadline passes.
 * Connect, write and read share one deadline ({@code timeout}), so a server that accepts and never
 * answers, or trickles, is decided within it. Without {@code expect} the check passes once the send
 * string is written, as Piranha did.
 */
public final class TcpSendExpectCheck implements Check {
    private final Vertx vertx;
    private final NetClient client;
    private final Target target;
    private final byte[] send;
    private final Expectation expect;
    private final Duration timeout;

    /**
     * @param send   bytes to write after connecting, or null
     * @param expect what the reply must look like, or null to not read at all
     */
    public TcpSendExpectCheck(Vertx vertx, NetClient client, Target target, String send, Expectation expect,
                              Duration timeout) {
        if (send == null && expect == null) {
            throw new IllegalArgumentException("send/expect check needs send or expect; use TcpConnectCheck");
        }
        this.vertx = vertx;
        this.client = client;
        this.target = target;
        this.send = send == null ? null : send.getBytes(StandardCharsets.ISO_8859_1);
        this.expect = expect;
        this.timeout = timeout;
    }

    @Override
    public Future<CheckResult> run() {
        return new Attempt().start();
    }

    @Override
    public String describe() {
        return "TCP send/expect " + target;
    }

    /** The state of one run: the socket once connected, the deadline timer, what was read. */
    private final class Attempt {
        private final long start = System.nanoTime();
        private final Promise<CheckResult> result = Promise.promise();
        private final ReplyBuffer reply = new ReplyBuffer();
        private NetSocket socket;
        private long timer;

        Future<CheckResult> start() {
            timer = vertx.setTimer(timeout.toMillis(), id -> finish(socket == null
                    ? TcpFailures.connectTimedOut(target, timeout, start)
                    : TcpFailures.readTimedOut(target, timeout, reply, start)));
            client.connect(new ConnectOptions().setHost(target.host()).setPort(target.port())
                            .setTimeout((int) timeout.toMillis()))
                    .onComplete(ar -> {
                        if (ar.failed()) {
                            finish(TcpFailures.connectFailed(target, timeout, ar.cause(), start));
                        } else if (result.future().isComplete()) {
                            ar.result().close(); // connected after the deadline
                        } else {
                            connected(ar.result());
                        }
                    });
            return result.future();
        }

        private void connected(NetSocket s) {
            socket = s;
            if (expect != null) {
                s.handler(this::received);
                s.endHandler(v -> decide(true, "closed by server"));
                s.exceptionHandler(e -> finish(CheckResult.fail("connection to " + target + " failed after "
                        + reply.length() + " bytes: " + TcpFailures.message(e), start)));
                s.closeHandler(v -> decide(true, "closed by server"));
            } else {
                s.exceptionHandler(e -> finish(CheckResult.fail("connection to " + target + " failed: "
                        + TcpFailures.message(e), start)));
            }
            if (send != null) {
                s.write(Buffer.buffer(send)).onComplete(w -> {
                    if (w.failed()) {
                        finish(CheckResult.fail("send to " + target + " failed: " + TcpFailures.message(w.cause()),
                                start));
                    } else if (expect == null) {
                        finish(CheckResult.pass("sent " + send.length + " bytes to " + target, start));
                    }
                });
            }
        }

        private void received(Buffer chunk) {
            if (result.future().isComplete()) {
                return;
            }
            boolean full = reply.append(chunk);
            decide(full, full ? "read " + Expectation.MAX_REPLY_BYTES + " bytes" : null);
        }

        private void decide(boolean complete, String why) {
            if (result.future().isComplete()) {
                return;
            }
            switch (expect.decide(reply.bytes(), reply.length(), complete)) {
                case MATCH -> finish(CheckResult.pass("got expected reply from " + target, start));
                case MISMATCH -> finish(CheckResult.fail(mismatch(why), start));
                case NEED_MORE -> { }
            }
        }

        private String mismatch(String why) {
            String got = reply.length() == 0 ? "nothing" : "'" + reply.show() + "'";
            String base = "expected '" + expect.text() + "', got " + got;
            return why == null || reply.length() >= expectLength() ? base : base + " (" + why + ")";
        }

        private int expectLength() {
            return expect instanceof Expectation.Prefix p ? p.bytes().length : Integer.MAX_VALUE;
        }

        private void finish(CheckResult r) {
            if (!result.tryComplete(r)) {
                return;
            }
            vertx.cancelTimer(timer);
            if (socket != null) {
                socket.handler(null);
                socket.close();
            }
        }
    }

    @Override
    public String kind() {
        return "tcp";
    }
}
