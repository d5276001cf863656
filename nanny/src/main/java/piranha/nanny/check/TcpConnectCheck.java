package piranha.nanny.check;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import java.time.Duration;

/**
 * Connect-only TCP check (neither {@code send} nor {@code expect} set): the server passes when a
 * connection to RIP:RPORT is established within the deadline; the connection is closed at once.
 */
public final class TcpConnectCheck implements Check {
    private final Vertx vertx;
    private final NetClient client;
    private final Target target;
    private final Duration timeout;

    public TcpConnectCheck(Vertx vertx, NetClient client, Target target, Duration timeout) {
        this.vertx = vertx;
        this.client = client;
        this.target = target;
        this.timeout = timeout;
    }

    @Override
    public Future<CheckResult> run() {
        long start = System.nanoTime();
        Promise<CheckResult> result = Promise.promise();
        long timer = vertx.setTimer(timeout.toMillis(), id -> result.tryComplete(TcpFailures.connectTimedOut(target, timeout, start)));
        client.connect(new ConnectOptions().setHost(target.host()).setPort(target.port())
                        .setTimeout((int) timeout.toMillis()))
                .onComplete(ar -> {
                    vertx.cancelTimer(timer);
                    if (ar.succeeded()) {
                        ar.result().close();
                        result.tryComplete(CheckResult.pass("connected to " + target, start));
                    } else {
                        result.tryComplete(TcpFailures.connectFailed(target, timeout, ar.cause(), start));
                    }
                });
        return result.future();
    }

    @Override
    public String describe() {
        return "TCP connect " + target;
    }
}
