package piranha.nanny;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import piranha.nanny.check.Check;
import piranha.nanny.check.CheckResult;

/** Runs one check on a Vert.x context and waits (bounded) for its result. */
public final class CheckHarness {
    private CheckHarness() {}

    public record Timed(CheckResult result, long elapsedMs) { }

    public static Timed run(Vertx vertx, Check check) throws Exception {
        CompletableFuture<CheckResult> f = new CompletableFuture<>();
        long start = System.nanoTime();
        vertx.getOrCreateContext().runOnContext(v -> check.run().onComplete(ar -> {
            if (ar.succeeded()) {
                f.complete(ar.result());
            } else {
                f.completeExceptionally(ar.cause());
            }
        }));
        CheckResult r = f.get(30, TimeUnit.SECONDS);
        return new Timed(r, Duration.ofNanos(System.nanoTime() - start).toMillis());
    }
}
