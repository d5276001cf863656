package piranha.pulse.routing;

import java.io.IOException;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Logger;
import piranha.pulse.exec.CommandRunner;

/**
 * Flow hand-over between active-active directors ({@code director_peers}). When a director leaves or
 * returns, the router's ECMP also moves some flows between the directors that stay; the user-space
 * plane terminates TCP, so the director a flow moves to has no such connection and its kernel would
 * reset it. Instead, a TCP packet to a VIP that is not a SYN (nor a RST) and that conntrack has not
 * seen (a connection this director never had) is passed to the next live director on a ring (the
 * live directors in address order). The director that holds the connection takes it (conntrack knows it,
 * the rule does not match); one that does not passes it on. The packet's TTL carries the number of
 * directors still to ask: the first director sets it, and the kernel's {@code dup} (the TEE
 * target) lowers it by one per hop; the last director lets the packet into its own stack, which resets
 * it as before (no director had the connection: it was the one that went), or drops it if it is a FIN. Packets straight from the
 * router have a TTL of 16 or more; handed ones less, so a packet is never handed twice by one director
 * and a ring that disagrees for a moment still ends.
 *
 * <p>This class renders the nftables table and loads it with one {@code nft -f} (one transaction: the
 * old table and the new are never both half there).
 */
public final class FlowHandover {
    private static final Logger LOG = Logger.getLogger("pulse");
    static final String TABLE = "piranha_handover";
    /** Router-sent packets arrive at or above this TTL; handed ones below. */
    static final int HANDED_BELOW = 16;
    private static final Duration NFT_TIMEOUT = Duration.ofSeconds(10);

    private final Path script;
    private final CommandRunner runner;
    private String loaded;

    /** @param script where the rendered table is written before {@code nft -f} reads it */
    public FlowHandover(Path script, CommandRunner runner) {
        this.script = script;
        this.runner = runner;
    }

    /** The ring: the live directors, this one included, in address order. */
    public static List<Inet4Address> ring(Inet4Address self, Collection<Inet4Address> livePeers) {
        List<Inet4Address> ring = new ArrayList<>(livePeers);
        if (!ring.contains(self)) ring.add(self);
        ring.sort(Comparator.comparingLong(FlowHandover::unsigned));
        return ring;
    }

    private static long unsigned(Inet4Address a) {
        byte[] b = a.getAddress();
        return ((b[0] & 0xffL) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    /**
     * The table for this director. With no other live director the chain is empty: an unknown
     * connection's packet goes to this director's stack and is reset, as without hand-over.
     */
    public static String render(Inet4Address self, List<Inet4Address> ring, Collection<Inet4Address> vips) {
        StringBuilder b = new StringBuilder();
        b.append("# Written by pulse (director_peers): flow hand-over between active-active directors; rewritten on each change.\n");
        // declaring then deleting makes the load one transaction whether or not the table exists
        b.append("table ip ").append(TABLE).append("\ndelete table ip ").append(TABLE).append('\n');
        b.append("table ip ").append(TABLE).append(" {\n");
        if (!vips.isEmpty()) {
            b.append("    set vips {\n        type ipv4_addr\n        elements = { ");
            b.append(String.join(", ", vips.stream().map(Inet4Address::getHostAddress).toList())).append(" }\n    }\n\n");
        }
        b.append("    chain prerouting {\n        type filter hook prerouting priority filter; policy accept;\n");
        int n = ring.size();
        if (n >= 2 && !vips.isEmpty()) {
            // conntrack calls an unknown connection's ACK or data "new", its FIN "invalid" (as it does a
            // known connection's out-of-window segment: only FINs are taken from those, and never reset)
            b.append("        ip daddr @vips tcp flags & (syn | rst) == 0 ct state new jump unknown_connection\n");
            b.append("        ip daddr @vips tcp flags & (fin | syn | rst) == fin ct state invalid jump unknown_connection\n");
        }
        b.append("    }\n");
        if (n >= 2 && !vips.isEmpty()) {
            String next = ring.get((ring.indexOf(self) + 1) % n).getHostAddress();
            b.append("\n    # ring ").append(String.join(" ", ring.stream().map(Inet4Address::getHostAddress).toList()))
                    .append(": the TTL of a handed packet is the number of directors still to ask after it\n");
            b.append("    chain unknown_connection {\n");
            b.append("        ip ttl >= ").append(HANDED_BELOW).append(" ip ttl set ").append(n - 1)
                    .append(" counter dup to ").append(next).append(" drop comment \"from the router: ask the next director\"\n");
            b.append("        ip ttl 0 tcp flags fin counter drop comment \"the last to ask: a FIN nobody holds is dropped\"\n");
            b.append("        ip ttl 0 counter accept comment \"the last to ask: no director has it, reset\"\n");
            b.append("        counter dup to ").append(next).append(" drop comment \"handed over: ask the next\"\n");
            b.append("    }\n");
        }
        b.append("}\n");
        return b.toString();
    }

    /** Loads the table unless the same one is loaded; false (logged) when nft failed. */
    public boolean load(Inet4Address self, List<Inet4Address> ring, Collection<Inet4Address> vips) {
        String text = render(self, ring, vips);
        if (text.equals(loaded)) return true;
        try {
            Path tmp = script.resolveSibling(script.getFileName() + ".tmp");
            Files.createDirectories(script.getParent());
            Files.writeString(tmp, text);
            Files.move(tmp, script, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.severe("cannot write " + script + ": " + e.getMessage() + "; flow hand-over not changed");
            return false;
        }
        CommandRunner.Result r = runner.run(List.of("nft", "-f", script.toString()), NFT_TIMEOUT);
        if (!r.ok()) {
            LOG.severe("nft -f " + script + " failed (" + r.status() + "): " + r.output() + "; flow hand-over not changed");
            return false;
        }
        loaded = text;
        LOG.info(ring.size() < 2 ? "flow hand-over: no other director is live; a connection this director never had is reset here"
                : "flow hand-over ring " + String.join(" ", ring.stream().map(Inet4Address::getHostAddress).toList())
                        + ": a connection this director never had is asked of the next");
        return true;
    }

    /** Removes the table (pulse stops, or director_peers was removed). */
    public void unload() {
        if (loaded == null) return;
        CommandRunner.Result r = runner.run(List.of("nft", "delete", "table", "ip", TABLE), NFT_TIMEOUT);
        if (!r.ok()) LOG.warning("nft delete table ip " + TABLE + " failed (" + r.status() + "): " + r.output());
        loaded = null;
    }
}
