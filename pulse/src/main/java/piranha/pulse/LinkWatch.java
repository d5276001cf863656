package piranha.pulse;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import piranha.daemon.EventLog;
import piranha.pulse.config.PulseConfig;
import piranha.pulse.heartbeat.HeartbeatLoop;
import piranha.pulse.link.LinkMonitor;
import piranha.pulse.state.Input;

/**
 * monitor_links: the link monitor as lvs.cf asks for it, started again at a reload that changes it.
 * Its reports go to the failover machine, each link that goes down or comes back to the event stream.
 */
final class LinkWatch implements AutoCloseable {
    private final HeartbeatLoop loop;
    private final EventLog events;
    private LinkMonitor links;
    /** The links monitor_links watches now, for status (set where the monitor starts). */
    private volatile Set<String> watched = Set.of();

    LinkWatch(HeartbeatLoop loop, EventLog events) {
        this.loop = loop;
        this.events = events;
    }

    /** The links watched now (empty when monitor_links is off). */
    Set<String> watched() {
        return watched;
    }

    /** monitor_links: watch the devices of our heartbeat addresses (only with a partner to hand over to). */
    synchronized void start(PulseConfig cfg, Node self) {
        if (links != null) {
            links.close();
            links = null;
        }
        if (!cfg.monitorLinks() || !cfg.hasBackup()) {
            watched = Set.of();
            loop.input(new Input.Links(Set.of())); // nothing watched, nothing down
            return;
        }
        // link events wake the monitor at once; the poll is a safety net
        long periodMs = Math.max(20, Math.min(1000, cfg.keepalive().toMillis()));
        links = new LinkMonitor(self.monitoredDevices(LinkMonitor::deviceOf), Duration.ofMillis(periodMs),
                linkEvents(), Path.of("/sys/class/net"));
        watched = links.names();
        links.start();
    }

    /** The link monitor's reports to the machine, and each link that went down or came back to the event stream. */
    private Consumer<Set<String>> linkEvents() {
        Set<String> before = new TreeSet<>();
        return down -> {
            loop.input(new Input.Links(down));
            for (String nic : down) {
                if (before.add(nic)) events.publish("link", new JsonObject().put("link", nic).put("state", "down"));
            }
            for (var it = before.iterator(); it.hasNext();) {
                String nic = it.next();
                if (!down.contains(nic)) {
                    it.remove();
                    events.publish("link", new JsonObject().put("link", nic).put("state", "up"));
                }
            }
        };
    }

    @Override
    public synchronized void close() {
        if (links != null) links.close();
    }
}
