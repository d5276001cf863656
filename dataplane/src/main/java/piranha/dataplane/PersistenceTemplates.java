package piranha.dataplane;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * IPVS persistence templates: a client address (masked by pmask) sticks to the destination it
 * was first given. A template lives while connections it placed are open and for the persistent
 * timeout after the last one was placed or ended. Used under the service's lock.
 */
final class PersistenceTemplates {
    static final class Template {
        final InetAddress client;
        final Destination dest;
        int controlled;
        long lastUse;

        Template(InetAddress client, Destination dest, long now) {
            this.client = client;
            this.dest = dest;
            this.lastUse = now;
        }
    }

    private final Map<InetAddress, Template> templates = new HashMap<>();
    private long timeoutNanos;
    private InetAddress mask;

    void configure(int seconds, InetAddress pmask) {
        this.timeoutNanos = seconds * 1_000_000_000L;
        this.mask = pmask;
        if (seconds == 0) templates.clear();
    }

    boolean enabled() {
        return timeoutNanos > 0;
    }

    InetAddress key(InetAddress client) {
        return Addresses.mask(client, mask);
    }

    /** The live template for this (masked) client, or null. */
    Template lookup(InetAddress key, long now) {
        Template t = templates.get(key);
        if (t == null) return null;
        if (t.controlled == 0 && now - t.lastUse > timeoutNanos) {
            templates.remove(key);
            return null;
        }
        return t;
    }

    Template create(InetAddress key, Destination d, long now) {
        Template t = new Template(key, d, now);
        templates.put(key, t);
        return t;
    }

    void drop(Template t) {
        templates.remove(t.client, t);
    }

    void expire(long now) {
        for (Iterator<Template> it = templates.values().iterator(); it.hasNext(); ) {
            Template t = it.next();
            if (t.controlled == 0 && now - t.lastUse > timeoutNanos) it.remove();
        }
    }

    int size() {
        return templates.size();
    }
}
