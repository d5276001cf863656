package piranha.gui.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What the live charts of CONTROL/MONITORING draw: per virtual service connections/s and bytes/s
 * (in and out), per real server the check latency and its health, derived from lvsd's successive
 * status replies (lvsd reports cumulative {@code conns}, {@code bytes_in} and {@code bytes_out}
 * per real server, the last check's {@code latency_ms} and {@code health}).
 *
 * <p>Memory is bounded whatever runs for how long: each series is two rings of fixed-width
 * buckets, {@link #FINE} (10 s buckets, the last 15 minutes) and {@link #COARSE} (5-minute buckets,
 * the last 24 hours), every sample adding to the current bucket of both. A rate is the bucket's
 * counter increase over the time its samples covered; latency is the bucket's worst; health, every
 * state seen in it. A service or real server not seen for 24 hours is forgotten. At 1,000 services
 * and 10,000 real servers that is about 25 MB.
 */
public final class History {
    /** One ring of buckets: {@code width} seconds each, {@code slots} of them. */
    public record Tier(int width, int slots) {
        Duration span() {
            return Duration.ofSeconds((long) width * slots);
        }
    }

    public static final Tier FINE = new Tier(10, 90);
    public static final Tier COARSE = new Tier(300, 288);
    /** The longest range a chart shows. */
    public static final Duration LONGEST = COARSE.span();
    /** A gap between samples longer than this (the GUI stopped, the machine slept) counts for no rate. */
    static final long MAX_GAP_MS = 600_000;

    /** Health bits: every state seen in a bucket. */
    static final int UP = 1, DOWN = 2, QUIESCED = 4, UNKNOWN = 8;

    private final Buckets fine = new Buckets(FINE);
    private final Buckets coarse = new Buckets(COARSE);
    private final Map<String, Service> services = new LinkedHashMap<>();
    private long lastSampleMs = -1;

    /** The start times of one tier's buckets and the seconds of sampling each covered. */
    private static final class Buckets {
        final Tier tier;
        final long[] start;
        final double[] seconds;
        int current = -1;

        Buckets(Tier tier) {
            this.tier = tier;
            start = new long[tier.slots];
            Arrays.fill(start, Long.MIN_VALUE);
            seconds = new double[tier.slots];
        }

        /** The slot of the bucket holding {@code epochSecond}; true in {@code opened[0]} when it starts now. */
        int slot(long epochSecond, boolean[] opened) {
            long begin = Math.floorDiv(epochSecond, tier.width) * tier.width;
            int slot = (int) Math.floorMod(Math.floorDiv(epochSecond, tier.width), tier.slots);
            opened[0] = start[slot] != begin;
            if (opened[0]) {
                start[slot] = begin;
                seconds[slot] = 0;
            }
            current = slot;
            return slot;
        }

        /** Slots whose bucket starts at or after {@code from} and before {@code until}, oldest first. */
        List<Integer> between(long from, long until) {
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < tier.slots; i++) {
                if (start[i] != Long.MIN_VALUE && start[i] >= from && start[i] < until) {
                    out.add(i);
                }
            }
            out.sort((a, b) -> Long.compare(start[a], start[b]));
            return out;
        }
    }

    /** One virtual service: its counters' increase per bucket of each tier (NaN: not seen then), its real servers. */
    private static final class Service {
        final float[][] conns = rings();
        final float[][] bytesIn = rings();
        final float[][] bytesOut = rings();
        /** By address and port: no string is made per real server and sample. */
        final Map<Endpoint, Server> servers = new LinkedHashMap<>();
        long seen;
    }

    /** One real server: its worst latency and health bits per bucket; its last cumulative counters. */
    private static final class Server {
        final String name;
        final String endpoint;
        final float[][] latency = rings();
        final byte[][] health = {new byte[FINE.slots], new byte[COARSE.slots]};
        long conns = -1, bytesIn = -1, bytesOut = -1;
        long seen;

        Server(String name, String endpoint) {
            this.name = name;
            this.endpoint = endpoint;
        }
    }

    private static float[][] rings() {
        float[][] r = {new float[FINE.slots], new float[COARSE.slots]};
        Arrays.fill(r[0], Float.NaN);
        Arrays.fill(r[1], Float.NaN);
        return r;
    }

    /** Adds one status reply of lvsd, taken at {@code now}; an error reply leaves a gap. */
    public synchronized void observe(JsonObject lvsd, Instant now) {
        if (lvsd.getValue("error") != null || !(lvsd.getValue("services") instanceof JsonArray list)) {
            return;
        }
        long ms = now.toEpochMilli();
        long second = now.getEpochSecond();
        double dt = lastSampleMs < 0 || ms <= lastSampleMs || ms - lastSampleMs > MAX_GAP_MS ? 0 : (ms - lastSampleMs) / 1000.0;
        lastSampleMs = ms;
        boolean[] opened = new boolean[1];
        int[] slot = new int[2];
        slot[0] = fine.slot(second, opened);
        if (opened[0]) {
            clear(0, slot[0]);
        }
        slot[1] = coarse.slot(second, opened);
        if (opened[0]) {
            clear(1, slot[1]);
            forget(second - LONGEST.toSeconds());
        }
        fine.seconds[slot[0]] += dt;
        coarse.seconds[slot[1]] += dt;
        for (Object so : list) {
            if (!(so instanceof JsonObject s) || !(s.getValue("servers") instanceof JsonArray servers)) {
                continue;
            }
            Service svc = services.computeIfAbsent(String.valueOf(s.getValue("name")), k -> new Service());
            svc.seen = second;
            for (Object ro : servers.getList()) {
                if (ro instanceof Map<?, ?> r) {
                    server(svc, r, second, slot, dt > 0);
                } else if (ro instanceof JsonObject j) {
                    server(svc, j.getMap(), second, slot, dt > 0);
                }
            }
        }
    }

    private static void server(Service svc, Map<?, ?> r, long second, int[] slot, boolean counting) {
        Endpoint key = Endpoint.of(r);
        Server rs = svc.servers.get(key);
        if (rs == null) {
            rs = new Server(String.valueOf(r.get("name")), key.address() + ":" + key.port());
            svc.servers.put(key, rs);
        }
        rs.seen = second;
        long conns = counter(r.get("conns"));
        long in = counter(r.get("bytes_in"));
        long out = counter(r.get("bytes_out"));
        byte health = (byte) (r.get("health") instanceof String h ? switch (h) {
            case "up" -> UP;
            case "down" -> DOWN;
            case "quiesced" -> QUIESCED;
            default -> UNKNOWN;
        } : UNKNOWN);
        for (int tier = 0; tier < 2; tier++) {
            int i = slot[tier];
            if (counting) {
                svc.conns[tier][i] = add(svc.conns[tier][i], increase(rs.conns, conns));
                svc.bytesIn[tier][i] = add(svc.bytesIn[tier][i], increase(rs.bytesIn, in));
                svc.bytesOut[tier][i] = add(svc.bytesOut[tier][i], increase(rs.bytesOut, out));
            }
            if (r.get("latency_ms") instanceof Number lat) {
                float l = lat.floatValue();
                float was = rs.latency[tier][i];
                rs.latency[tier][i] = Float.isNaN(was) ? l : Math.max(was, l);
            }
            rs.health[tier][i] |= health;
        }
        rs.conns = conns;
        rs.bytesIn = in;
        rs.bytesOut = out;
    }

    private static long counter(Object v) {
        return v instanceof Number n ? n.longValue() : -1;
    }

    /** A counter's increase; one that went down was reset (lvsd restarted, the server re-added): it counts from 0. */
    private static long increase(long before, long now) {
        if (before < 0 || now < 0) {
            return 0;
        }
        return now >= before ? now - before : now;
    }

    private static float add(float sum, long n) {
        return (Float.isNaN(sum) ? 0 : sum) + n;
    }

    private void clear(int tier, int i) {
        for (Service s : services.values()) {
            s.conns[tier][i] = Float.NaN;
            s.bytesIn[tier][i] = Float.NaN;
            s.bytesOut[tier][i] = Float.NaN;
            for (Server r : s.servers.values()) {
                r.latency[tier][i] = Float.NaN;
                r.health[tier][i] = 0;
            }
        }
    }

    private void forget(long before) {
        for (Iterator<Service> i = services.values().iterator(); i.hasNext();) {
            Service s = i.next();
            s.servers.values().removeIf(r -> r.seen < before);
            if (s.seen < before) {
                i.remove();
            }
        }
    }

    public synchronized List<String> serviceNames() {
        return List.copyOf(services.keySet());
    }

    /**
     * One service's charts over the last {@code range} (at most 24 hours) as JSON for the page:
     * {@code t} (each bucket's start, epoch seconds), {@code conns}, {@code bytesIn}, {@code bytesOut}
     * (per second; null where not seen), {@code servers} each with {@code latency} (ms) and
     * {@code health} ("up", "down", "quiesced", "changed" when it was more than one, "unknown", or null).
     * The 5-minute buckets come first, the 10-second ones of the last 15 minutes after them.
     */
    public synchronized JsonObject chart(String service, Duration range, Instant now) {
        long to = now.getEpochSecond();
        long from = to - Math.min(range.toSeconds(), LONGEST.toSeconds());
        // only the last 15 minutes of the fine ring: older slots not yet overwritten (sampling stopped a while) are stale
        List<Integer> fines = fine.between(Math.max(from, to - FINE.span().toSeconds()) - FINE.width + 1, Long.MAX_VALUE);
        long fineStart = fines.isEmpty() ? Long.MAX_VALUE : fine.start[fines.get(0)];
        List<Integer> coarses = range.compareTo(FINE.span()) <= 0 ? List.of() : coarse.between(from - COARSE.width + 1, fineStart);
        JsonObject out = new JsonObject().put("service", service).put("range", to - from)
                .put("services", new JsonArray(new ArrayList<>(services.keySet())));
        JsonArray t = new JsonArray();
        for (int i : coarses) {
            t.add(coarse.start[i]);
        }
        for (int i : fines) {
            t.add(fine.start[i]);
        }
        out.put("t", t);
        Service s = services.get(service);
        out.put("conns", rates(s == null ? null : s.conns, coarses, fines));
        out.put("bytesIn", rates(s == null ? null : s.bytesIn, coarses, fines));
        out.put("bytesOut", rates(s == null ? null : s.bytesOut, coarses, fines));
        JsonArray servers = new JsonArray();
        if (s != null) {
            for (Server r : s.servers.values()) {
                JsonArray lat = new JsonArray();
                JsonArray health = new JsonArray();
                for (int tier = 0; tier < 2; tier++) {
                    for (int i : tier == 0 ? coarses : fines) {
                        float l = r.latency[1 - tier][i];
                        lat.add(Float.isNaN(l) ? null : Math.round(l * 100) / 100.0);
                        health.add(health(r.health[1 - tier][i]));
                    }
                }
                servers.add(new JsonObject().put("name", r.name).put("endpoint", r.endpoint).put("latency", lat).put("health", health));
            }
        }
        return out.put("servers", servers);
    }

    private JsonArray rates(float[][] sums, List<Integer> coarses, List<Integer> fines) {
        JsonArray a = new JsonArray();
        for (int tier = 0; tier < 2; tier++) {
            Buckets b = tier == 0 ? coarse : fine;
            for (int i : tier == 0 ? coarses : fines) {
                float sum = sums == null ? Float.NaN : sums[1 - tier][i];
                a.add(Float.isNaN(sum) || b.seconds[i] <= 0 ? null : Math.round(sum / b.seconds[i] * 100) / 100.0);
            }
        }
        return a;
    }

    static String health(int bits) {
        return switch (bits) {
            case 0 -> null;
            case UP -> "up";
            case DOWN -> "down";
            case QUIESCED -> "quiesced";
            case UNKNOWN -> "unknown";
            default -> "changed";
        };
    }
}
