package piranha.pulse.address;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The floating addresses this pulse has put on the host, in a file beside its control socket
 * ({@code /run/piranha/pulse.addresses}), for whoever comes after a pulse that could not take them
 * off itself (killed, crashed): {@code pulse --release} and the next pulse's start. lvs.cf alone
 * would not do: it may have changed on disk since the addresses were added.
 *
 * <p>Written ahead: an address is recorded before it is added and forgotten once it is off the host.
 * Written whole, through a rename: a reader sees one list or the next, never half of one. A file that
 * cannot be written costs one warning, never a takeover.
 */
public final class AddressLedger {
    private static final Logger LOG = Logger.getLogger("pulse");
    /** An address as the file holds it: an IP literal only, so reading it never asks DNS. */
    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f.:]+");

    private final Path file;
    private final Set<Plumbing> held = new LinkedHashSet<>();
    private boolean warned;

    private AddressLedger(Path file, List<Plumbing> recorded) {
        this.file = file;
        held.addAll(recorded);
    }

    /** The file of the pulse whose control socket is {@code controlSocket}: pulse.sock → pulse.addresses. */
    public static Path fileFor(Path controlSocket) {
        String name = controlSocket.getFileName().toString();
        if (name.endsWith(".sock")) name = name.substring(0, name.length() - ".sock".length());
        return controlSocket.resolveSibling(name + ".addresses");
    }

    /**
     * The ledger in {@code file}, still holding whatever an earlier pulse recorded there and left. Every
     * step of recording an address is taken here once, on a file of its own that nobody reads, so that
     * none is linked or loaded for the first time at a takeover.
     */
    public static AddressLedger open(Path file) {
        AddressLedger ledger = new AddressLedger(file, read(file));
        synchronized (ledger) {
            ledger.warmUp();
            ledger.write();
        }
        return ledger;
    }

    /**
     * A sample address looked up in a set of its own (a record's hashCode and equals are bootstrapped at
     * their first call: tens of milliseconds in a cold JVM), and its line written and renamed onto a file
     * of its own.
     */
    private void warmUp() {
        InetAddress lo = InetAddress.getLoopbackAddress();
        Plumbing sample = new Plumbing(lo, 8, "lo", "VIP");
        new LinkedHashSet<>(List.of(sample)).remove(new Plumbing(lo, 8, "lo", "VIP"));
        Path warm = file.resolveSibling(file.getFileName() + ".warm");
        writeThroughRename(List.of(line(sample)), warm);
        try {
            Files.deleteIfExists(warm);
        } catch (IOException e) {
            failed(e);
        }
    }

    /** What {@code file} records: nothing when there is none; a line it cannot read is skipped, with a warning. */
    public static List<Plumbing> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            LOG.warning("cannot read " + file + ": " + e.getMessage());
            return List.of();
        }
        List<Plumbing> recorded = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            Plumbing p = parse(line);
            if (p == null) LOG.warning(file + ":" + (i + 1) + ": not an address line, skipped: " + line);
            else recorded.add(p);
        }
        return recorded;
    }

    /** "ADDRESS/PREFIX DEVICE KIND", as {@link #line} writes it; null when it is not that. */
    private static Plumbing parse(String line) {
        String[] f = line.split("\\s+", 3);
        if (f.length < 3) return null;
        int slash = f[0].indexOf('/');
        if (slash < 0 || !LITERAL.matcher(f[0].substring(0, slash)).matches()) return null;
        try {
            int prefix = Integer.parseInt(f[0].substring(slash + 1));
            InetAddress a = InetAddress.getByName(f[0].substring(0, slash));
            if (prefix < 0 || prefix > a.getAddress().length * 8) return null;
            return new Plumbing(a, prefix, f[1], f[2]);
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    private static String line(Plumbing p) {
        return p.cidr() + " " + p.device() + " " + p.kind();
    }

    /** What is recorded now, in the order it was. */
    public synchronized List<Plumbing> held() {
        return List.copyOf(held);
    }

    /** Recorded before it is added. */
    void holding(Plumbing p) {
        holding(List.of(p));
    }

    /** Recorded together before the first of them is added: one write for a whole takeover. */
    synchronized void holding(List<Plumbing> addresses) {
        if (held.addAll(addresses)) write();
    }

    /** Forgotten once it is off the host. */
    void released(Plumbing p) {
        released(List.of(p));
    }

    /** Forgotten together once they are all off the host. */
    synchronized void released(List<Plumbing> addresses) {
        if (held.removeAll(addresses)) write();
    }

    /** The file rewritten whole with what is held; none when nothing is. */
    private void write() {
        if (held.isEmpty()) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                failed(e);
            }
            return;
        }
        List<String> lines = new ArrayList<>(held.size());
        for (Plumbing p : held) lines.add(line(p));
        writeThroughRename(lines, file);
    }

    /** {@code lines} into the temporary file, then renamed over {@code target}. */
    private void writeThroughRename(List<String> lines, Path target) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.write(tmp, lines);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            failed(e);
        }
    }

    /** Told once: the addresses still move, only --release knows less. */
    private void failed(IOException e) {
        if (!warned) {
            LOG.warning("cannot record the floating addresses in " + file + ": " + e.getMessage()
                    + " (pulse --release will know only the addresses lvs.cf names)");
        }
        warned = true;
    }
}
