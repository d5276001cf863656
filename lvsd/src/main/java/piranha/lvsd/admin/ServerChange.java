package piranha.lvsd.admin;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

import piranha.daemon.ReloadRequest;
import piranha.lvscf.Diagnostic;
import piranha.lvscf.InvalidConfigException;
import piranha.lvscf.LvsCfDocument;
import piranha.lvscf.LvsCfFiles;
import piranha.lvscf.ScriptSecurity;

/**
 * {@code lvsadm add-server | remove-server | set-weight}: the change is made in lvs.cf (so it
 * survives a restart and a failover's reading of the same file), validated as a file read is
 * (an invalid change is refused with every located error and nothing is written), written
 * atomically with {@code serial_no} bumped, and then applied by the ordinary reload of pulse and
 * lvsd: nannies start and stop, a removed server drains before it leaves the table. lvsd itself
 * never edits lvs.cf.
 */
final class ServerChange {
    private final Path file;
    private final Path pulseSocket;
    private final Path lvsdSocket;
    private final PrintStream out;
    private final PrintStream err;

    ServerChange(Path file, Path pulseSocket, Path lvsdSocket, PrintStream out, PrintStream err) {
        this.file = file;
        this.pulseSocket = pulseSocket;
        this.lvsdSocket = lvsdSocket;
        this.out = out;
        this.err = err;
    }

    /**
     * Reads lvs.cf, edits it, writes it and reloads. Exit status: 0 done; 1 refused (nothing
     * written) or written but a daemon refused the reload (said which); 2 when lvs.cf cannot be read.
     */
    int apply(String what, UnaryOperator<LvsCfDocument> edit) {
        LvsCfDocument doc;
        try {
            doc = LvsCfFiles.read(file);
        } catch (IOException e) {
            err.println("lvsadm: cannot read " + file + ": " + e.getMessage());
            return 2;
        }
        if (doc.hasErrors()) {
            err.println("lvsadm: " + what + " refused: " + file + " has errors already; fix them first (lvsd --check):");
            doc.errors().forEach(d -> err.println(d));
            return 1;
        }
        LvsCfDocument edited;
        try {
            edited = edit.apply(doc);
            List<Diagnostic> unsafe = ScriptSecurity.check(edited);
            if (!unsafe.isEmpty()) {
                throw new IllegalArgumentException("the change is refused, " + file + " is kept as it is:\n"
                        + String.join("\n", unsafe.stream().map(Object::toString).toList()));
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            err.println("lvsadm: " + what + ": " + e.getMessage());
            return 1;
        }
        LvsCfDocument written;
        try {
            // another writer (the configuration tool, a second lvsadm) since we read: never overwrite its change
            if (!Arrays.equals(LvsCfFiles.readBytes(file), doc.bytes())) {
                err.println("lvsadm: " + what + ": " + file + " changed while it was being edited; nothing was written, try again");
                return 1;
            }
            written = LvsCfFiles.write(file, edited, true);
        } catch (IOException | InvalidConfigException e) {
            err.println("lvsadm: " + what + ": " + e.getMessage());
            return 1;
        }
        out.println(what + ": written to " + file + " (serial_no " + written.config().globals().serialNo() + ")");
        ReloadRequest.Result r = ReloadRequest.send(pulseSocket, lvsdSocket, ReloadRequest.TIMEOUT);
        (r.ok() ? out : err).println(String.join("\n", r.lines()));
        return r.ok() ? 0 : 1;
    }
}
