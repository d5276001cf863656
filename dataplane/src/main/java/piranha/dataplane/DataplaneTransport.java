package piranha.dataplane;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * The Vert.x instance the table runs on, with the transport chosen for forwarding: io_uring where the
 * kernel allows it, else epoll, else NIO.
 *
 * <p>io_uring first because a forwarded connection is mostly system calls: through io_uring the
 * accept, connect, reads, writes and closes of many connections go to the kernel in one call per
 * event-loop turn instead of one call each plus the epoll_ctl bookkeeping, which halves the CPU a
 * keep-alive request costs and cuts a new connection's (dataplane/README.md, "Transports").
 * Some hosts switch io_uring off (RHEL 9's {@code kernel.io_uring_disabled}, container seccomp
 * profiles); Netty then reports it unavailable and epoll is used, with the same features.
 * The system property {@code piranha.transport} ({@code auto}, {@code io_uring}, {@code epoll},
 * {@code nio}) pins one; an unavailable choice falls back as {@code auto} does, with a warning.
 */
public final class DataplaneTransport {
    private static final Logger LOG = Logger.getLogger(DataplaneTransport.class.getName());
    /** The system property that pins a transport. */
    public static final String PROPERTY = "piranha.transport";

    private DataplaneTransport() {}

    /** A Vert.x instance with {@code options} on the chosen transport. */
    public static Vertx vertx(VertxOptions options) {
        VertxOptions o = new VertxOptions(options).setPreferNativeTransport(true);
        Transport t = choose(System.getProperty(PROPERTY, "auto"));
        if (t == null) return Vertx.vertx(o);
        return Vertx.builder().with(o).withTransport(t).build();
    }

    /** The transport named by {@code wanted}, or the best one available; null: Vert.x's own choice. */
    static Transport choose(String wanted) {
        String w = wanted.trim().toLowerCase(Locale.ROOT);
        switch (w) {
            case "nio":
                return Transport.NIO;
            case "epoll":
                if (Transport.EPOLL.available()) return Transport.EPOLL;
                break;
            case "io_uring":
                if (Transport.IO_URING.available()) return Transport.IO_URING;
                break;
            case "auto":
                break;
            default:
                LOG.warning(PROPERTY + "=" + wanted + " is not a transport (auto, io_uring, epoll, nio): using auto");
                return best();
        }
        if (!w.equals("auto")) LOG.warning("transport " + w + " is not available here: using the best available one");
        return best();
    }

    /** io_uring, else epoll, else null (Vert.x's own choice: NIO). */
    private static Transport best() {
        if (Transport.IO_URING.available()) return Transport.IO_URING;
        if (Transport.EPOLL.available()) return Transport.EPOLL;
        return null;
    }

    /** Why io_uring is not available here (" (io_uring: reason)"), or "" when it is. */
    static String whyNotIoUring() {
        if (Transport.IO_URING.available()) return "";
        Throwable why = Transport.IO_URING.unavailabilityCause();
        return " (io_uring: " + (why == null ? "not available" : why.getMessage()) + ")";
    }

    /** The transport {@code vertx} forwards with: "io_uring", "epoll" or "nio". */
    public static String name(Vertx vertx) {
        return Sockets.Kind.of(vertx).text;
    }
}
