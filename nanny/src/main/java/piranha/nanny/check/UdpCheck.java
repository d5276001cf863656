package piranha.nanny.check;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * UDP check ({@code protocol = udp}): send the send string and require a reply within the deadline,
 * matched against {@code expect} when given. Silence is a failure; an ICMP port unreachable fails at
 * once. Without a send string nothing is sent (as Piranha), so only a server that speaks first can
 * pass. Piranha crashed when a reply arrived and no {@code expect} was set; here any reply passes.
 */
public final class UdpCheck implements Check {
    private final Vertx vertx;
    private final UdpProbes probes;
    private final Target target;
    private final byte[] send;
    private final Expectation expect;
    private final Duration timeout;

    public UdpCheck(Vertx vertx, UdpProbes probes, Target target, String send, Expectation expect, Duration timeout) {
        this.vertx = vertx;
        this.probes = probes;
        this.target = target;
        this.send = send == null ? new byte[0] : send.getBytes(StandardCharsets.ISO_8859_1);
        this.expect = expect;
        this.timeout = timeout;
    }

    @Override
    public Future<CheckResult> run() {
        long start = System.nanoTime();
        Context context = vertx.getOrCreateContext();
        Promise<CheckResult> result = Promise.promise();
        InetSocketAddress address = new InetSocketAddress(target.host(), target.port());
        if (address.isUnresolved()) {
            return Future.succeededFuture(CheckResult.fail("cannot resolve " + target.host(), start));
        }
        UdpProbes.Probe probe = probes.probe(address, send, outcome ->
                context.runOnContext(v -> result.tryComplete(judge(outcome, start))));
        long timer = vertx.setTimer(timeout.toMillis(), id -> {
            if (result.tryComplete(CheckResult.fail("no reply from " + target + " (udp) within " + Seconds.show(timeout),
                    "READ to " + target + " timed out", start))) {
                probe.cancel();
            }
        });
        return result.future().onComplete(ar -> vertx.cancelTimer(timer));
    }

    private CheckResult judge(UdpProbes.Outcome outcome, long start) {
        if (outcome instanceof UdpProbes.Outcome.Unreachable) {
            return CheckResult.fail("port unreachable: " + target + " (udp)", start);
        }
        if (outcome instanceof UdpProbes.Outcome.Error e) {
            return CheckResult.fail("udp to " + target + " failed: " + TcpFailures.message(e.cause()), start);
        }
        byte[] reply = ((UdpProbes.Outcome.Reply) outcome).bytes();
        if (expect == null || expect.decide(reply, reply.length, true) == Expectation.Decision.MATCH) {
            return CheckResult.pass("got reply from " + target + " (udp)", start);
        }
        return CheckResult.fail("expected '" + expect.text() + "', got '" + Escapes.show(reply, reply.length, 32) + "'",
                start);
    }

    @Override
    public String describe() {
        return "UDP " + target;
    }

    @Override
    public String kind() {
        return "udp";
    }
}
