package piranha.nanny.check;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import java.time.Duration;

/**
 * Piranha's implicit check for web services: when the <em>virtual</em> port is 80 and none of
 * {@code send}, {@code expect} and {@code send_program} is set, send {@code GET / HTTP/1.0\r\n\r\n}
 * and expect a reply starting with {@code HTTP}.
 */
public final class HttpDefaultProbe implements Check {
    public static final String SEND = "GET / HTTP/1.0\r\n\r\n";
    public static final String EXPECT = "HTTP";

    private final TcpSendExpectCheck check;
    private final Target target;

    public HttpDefaultProbe(Vertx vertx, NetClient client, Target target, Duration timeout) {
        this.check = new TcpSendExpectCheck(vertx, client, target, SEND, Expectation.of(EXPECT, false), timeout);
        this.target = target;
    }

    /** Whether Piranha would use this probe for a service on {@code virtualPort} with these keys unset. */
    public static boolean applies(int virtualPort, String send, String expect, String sendProgram) {
        return virtualPort == 80 && send == null && expect == null && sendProgram == null;
    }

    @Override
    public Future<CheckResult> run() {
        return check.run();
    }

    @Override
    public String describe() {
        return "HTTP default probe " + target;
    }

    @Override
    public String kind() {
        return "tcp";
    }
}
