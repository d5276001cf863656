package piranha.nanny.check;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Connect-only TCP check (neither {@code send} nor {@code expect} set): the server passes when a
 * connection to RIP:RPORT is established within the deadline; the connection is closed at once.
 * It is the check most real servers get, so it runs on {@link ConnectProbes}, not a full Vert.x
 * connection.
 */
public final class TcpConnectCheck implements Check {
    private final Vertx vertx;
    private final ConnectProbes probes;
    private final Target target;
    private final Duration timeout;
    private final InetSocketAddress address;

    public TcpConnectCheck(Vertx vertx, ConnectProbes probes, Target target, Duration timeout) {
        this.vertx = vertx;
        this.probes = probes;
        this.target = target;
        this.timeout = timeout;
        // Real server addresses are IP literals (as Piranha requires): this does not query DNS.
        this.address = new InetSocketAddress(target.host(), target.port());
    }

    @Override
    public Future<CheckResult> run() {
        long start = System.nanoTime();
        if (address.isUnresolved()) {
            return Future.succeededFuture(CheckResult.fail("cannot resolve " + target.host(), start));
        }
        Context context = vertx.getOrCreateContext();
        Promise<CheckResult> result = Promise.promise();
        probes.probe(address, timeout.toNanos(), r -> context.runOnContext(v -> result.complete(switch (r.outcome()) {
            case CONNECTED -> CheckResult.pass("connected to " + target, start);
            case REFUSED -> CheckResult.fail("connect to " + target + " refused", start);
            case TIMED_OUT -> TcpFailures.connectTimedOut(target, timeout, start);
            case ERROR -> CheckResult.fail("connect to " + target + " failed: " + r.error(), start);
        })));
        return result.future();
    }

    @Override
    public String describe() {
        return "TCP connect " + target;
    }

    @Override
    public String kind() {
        return "tcp";
    }
}
