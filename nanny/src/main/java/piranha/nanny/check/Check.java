package piranha.nanny.check;

import io.vertx.core.Future;

/**
 * One kind of health check against one real server. {@link #run()} is called on the owning nanny's
 * Vert.x context, never blocks it, and completes (always successfully, with a healthy or failed
 * {@link CheckResult}) within the check's deadline. A check releases every socket, buffer and process
 * it opened before its future completes, or right after when a late event arrives.
 */
public interface Check {

    Future<CheckResult> run();

    /** Short description for logs, e.g. "TCP send/expect 127.0.0.1:80". */
    String describe();

    /** The kind as status shows it: tcp, udp, send_program, http, https, dns, smtp, script. */
    String kind();

    /**
     * Releases what the check keeps between runs (an http keep-alive connection); called when its
     * last user stops. Any thread.
     */
    default void close() {
    }
}
