package piranha.lvscf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import piranha.lvscf.model.Globals;
import piranha.lvscf.model.Position;
import piranha.lvscf.model.Section;
import piranha.lvscf.model.VirtualService;

/**
 * keepalived's {@code enable_script_security}, always on: a program lvs.cf names is not run as
 * root when it, or any directory above it, can be changed by a user other than root, since that
 * user could then run anything as root. The programs are {@code active_cmd}, {@code inactive_cmd},
 * {@code send_program} and {@code load_monitor} (with {@code rsh_command}) of active services,
 * which run as {@code script_user} when it is set (then they are not root's concern, as in
 * keepalived), and {@code ipvsadm} and, with {@code service = fos}, the active failover blocks'
 * {@code start_cmd} and {@code stop_cmd}, which always run as root.
 *
 * <p>Only the metadata (owner, group, mode) of the programs and their directories is read, never
 * their content. The findings are errors located at the key, meant to stop {@code lvsd --check},
 * and pulse and lvsd at start and reload, like any other error.
 */
public final class ScriptSecurity {
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;
    /** How deep symbolic links are followed before the path is called unsafe. */
    private static final int MAX_LINKS = 40;

    private ScriptSecurity() {}

    /** The findings for the programs of {@code doc} as this process would run them. */
    public static List<Diagnostic> check(LvsCfDocument doc) {
        return check(doc, processRunsAsRoot());
    }

    /**
     * The findings for the programs of {@code doc}, run by a daemon that is root or not. A daemon
     * that is not root runs nothing as root, so then only {@code script_user} is looked at.
     */
    public static List<Diagnostic> check(LvsCfDocument doc, boolean daemonIsRoot) {
        List<Diagnostic> out = new ArrayList<>();
        String file = doc.file();
        Globals g = doc.config().globals();
        Optional<String> user = g.scriptUser();
        if (user.isPresent() && !userExists(user.get())) {
            out.add(error(file, g, "script_user", "script_user: no user '" + user.get() + "' on this host"));
            return out;
        }
        if (!daemonIsRoot) {
            return out;
        }
        boolean scriptsAsRoot = user.isEmpty() || user.get().equals("root");
        if (scriptsAsRoot) {
            for (String key : List.of("active_cmd", "inactive_cmd")) {
                program(file, g, key, (String) g.value(key), out);
            }
            for (String kind : piranha.lvscf.keys.Keys.NOTIFY_KINDS) {
                program(file, g, "notify_" + kind, (String) g.value("notify_" + kind), out);
            }
            for (VirtualService v : doc.config().activeVirtuals()) {
                program(file, v, "send_program", v.sendProgram().orElse(null), out);
                String load = v.loadMonitor();
                if (load.equals("uptime")) {
                    program(file, v, "load_monitor", g.rshCommand(), out);
                } else if (!load.equals("none")) {
                    program(file, v, "load_monitor", load, out);
                }
            }
            for (piranha.lvscf.model.Track t : doc.config().tracks()) {
                program(file, t, "command", (String) t.value("command"), out); // pulse runs it as script_user
            }
        }
        program(file, g, "ipvsadm", g.ipvsadm(), out);
        if (g.service() == piranha.lvscf.model.ServiceMode.FOS) {
            // pulse runs the failover services' commands as root, whatever script_user says
            for (VirtualService f : doc.config().failovers()) {
                if (!f.active()) continue;
                program(file, f, "start_cmd", (String) f.value("start_cmd"), out);
                program(file, f, "stop_cmd", (String) f.value("stop_cmd"), out);
            }
        }
        return out;
    }

    /** Throws, with every finding located, when {@link #check(LvsCfDocument)} finds any. */
    public static void require(LvsCfDocument doc) throws InvalidConfigException {
        List<Diagnostic> found = check(doc);
        if (!found.isEmpty()) {
            throw new InvalidConfigException(found);
        }
    }

    private static void program(String file, Section s, String key, String command, List<Diagnostic> out) {
        if (command == null || command.isBlank()) {
            return;
        }
        String word = command.strip().split("[ \t]+")[0];
        if (word.contains("%")) {
            return; // a %h/%p substitution: not a fixed program
        }
        Optional<Path> path = locate(word);
        if (path.isEmpty()) {
            return; // not found: the daemon reports that it cannot run it
        }
        unsafe(path.get(), 0).ifPresent(why -> out.add(error(file, s, key, key + ": " + word + " would run as root, but "
                + why + "; make it and its directories writable by root only, or set script_user")));
    }

    /** An absolute path as given; a bare name as the daemon's PATH finds it. */
    private static Optional<Path> locate(String word) {
        if (word.contains("/")) {
            return Optional.of(Path.of(word).toAbsolutePath().normalize());
        }
        String searched = System.getenv("PATH");
        for (String dir : (searched == null ? "/usr/sbin:/usr/bin:/sbin:/bin" : searched).split(":")) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, word).toAbsolutePath();
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Why another user than root could change what {@code path} runs, or empty. Walks from the
     * root down, without following links; a link's target is walked in turn.
     */
    static Optional<String> unsafe(Path path, int links) {
        if (links > MAX_LINKS) {
            return Optional.of(path + " is reached through more than " + MAX_LINKS + " symbolic links");
        }
        Path at = path.getRoot();
        boolean othersMayAdd = false;
        for (int i = -1; i < path.getNameCount(); i++) {
            if (i >= 0) {
                at = at.resolve(path.getName(i));
            }
            Map<String, Object> a;
            try {
                a = Files.readAttributes(at, "unix:mode,uid,gid,owner,group", LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                // Missing: safe unless another user may create it, even in a sticky directory.
                return othersMayAdd ? Optional.of(at + " does not exist and " + at.getParent() + " lets other users create it")
                        : Optional.empty();
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                return Optional.of(at + " cannot be examined (" + e.getMessage() + ")");
            }
            int mode = (Integer) a.get("mode");
            othersMayAdd = (mode & 0002) != 0 || (mode & 0020) != 0 && (Integer) a.get("gid") != 0;
            boolean last = i == path.getNameCount() - 1;
            Optional<String> why = unsafe(at, a, mode, last);
            if (why.isPresent()) {
                return why;
            }
            if ((mode & S_IFMT) == S_IFLNK) {
                Path target;
                try {
                    target = at.resolveSibling(Files.readSymbolicLink(at)).toAbsolutePath().normalize();
                } catch (IOException e) {
                    return Optional.of(at + " cannot be read (" + e.getMessage() + ")");
                }
                Path rest = target;
                for (int j = i + 1; j < path.getNameCount(); j++) {
                    rest = rest.resolve(path.getName(j));
                }
                return unsafe(rest.normalize(), links + 1);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> unsafe(Path at, Map<String, Object> a, int mode, boolean last) {
        if ((mode & S_IFMT) == S_IFLNK) {
            return Optional.empty(); // a link cannot be changed, only replaced: its directory decides
        }
        if ((Integer) a.get("uid") != 0) {
            return Optional.of(at + " belongs to " + ((UserPrincipal) a.get("owner")).getName());
        }
        if ((mode & 0020) != 0 && (Integer) a.get("gid") != 0) {
            return Optional.of(at + " is writable by group " + ((UserPrincipal) a.get("group")).getName());
        }
        // A directory with the sticky bit (/tmp) lets others add names, not replace root's.
        boolean stickyDirectory = (mode & S_IFMT) == S_IFDIR && (mode & 01000) != 0;
        if ((mode & 0002) != 0 && (last || !stickyDirectory)) {
            return Optional.of(at + " is writable by every user");
        }
        return Optional.empty();
    }

    private static boolean userExists(String name) {
        try {
            Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name);
            return true;
        } catch (UserPrincipalNotFoundException e) {
            return false;
        } catch (IOException | UnsupportedOperationException e) {
            return true; // cannot tell: the daemon's own look-up will say
        }
    }

    /** Whether this process runs as root (the owner of /proc/self is the effective user). */
    public static boolean processRunsAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static Diagnostic error(String file, Section s, String key, String message) {
        Position at = s.position(key);
        if (at == Position.NONE && s instanceof VirtualService v) {
            at = v.header();
        }
        return new Diagnostic(file, Math.max(1, at.line()), Math.max(1, at.column()), Severity.ERROR, key, message);
    }
}
