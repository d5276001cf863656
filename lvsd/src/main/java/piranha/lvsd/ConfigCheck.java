package piranha.lvsd;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import io.vertx.core.json.JsonObject;
import piranha.lvscf.Diagnostic;
import piranha.lvscf.EffectiveConfig;
import piranha.lvscf.HostResolver;
import piranha.lvscf.LvsCfDocument;
import piranha.lvscf.LvsCfFiles;
import piranha.lvscf.RefusedFileException;
import piranha.lvscf.ScriptSecurity;

/**
 * {@code lvsd --check [--dump] [-c FILE]}: every error and warning as
 * {@code FILE:LINE:COL: error|warning: message} on stderr (with the programs that would run as root
 * though another user could change them, see {@link ScriptSecurity}), and with --dump the effective
 * configuration as JSON on stdout. Exit 0 without errors, 1 with errors or when the reader refuses
 * the file (not a regular file, too large, nested too deep), 2 when it cannot be read.
 */
public final class ConfigCheck {
    public static final int OK = 0;
    public static final int INVALID = 1;
    public static final int UNREADABLE = 2;

    private ConfigCheck() {}

    public static int run(Path file, boolean dump, PrintStream out, PrintStream err) {
        LvsCfDocument doc;
        try {
            doc = LvsCfFiles.read(file, HostResolver.SYSTEM);
        } catch (RefusedFileException e) {
            err.println(e.getMessage());
            return INVALID;
        } catch (NoSuchFileException e) {
            err.println(file + ": cannot read: no such file");
            return UNREADABLE;
        } catch (IOException e) {
            err.println(file + ": cannot read: " + e.getMessage());
            return UNREADABLE;
        }
        for (Diagnostic d : doc.diagnostics()) {
            err.println(d);
        }
        // Programs others could change are refused as lvsd and pulse would refuse them (run as root, check as root).
        List<Diagnostic> unsafe = ScriptSecurity.check(doc);
        unsafe.forEach(err::println);
        if (dump) {
            out.println(new JsonObject(EffectiveConfig.of(doc.config())).encodePrettily());
        }
        return doc.hasErrors() || !unsafe.isEmpty() ? INVALID : OK;
    }
}
