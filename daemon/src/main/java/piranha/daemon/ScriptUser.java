package piranha.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;

/**
 * Who runs the programs lvs.cf names ({@code active_cmd}, {@code inactive_cmd},
 * {@code send_program}, {@code load_monitor}): lvs.cf's {@code script_user}, or {@link #DAEMON},
 * the daemon's own user. A daemon running as root starts them through {@code setpriv(1)}
 * (util-linux) with the user's uid, primary group and supplementary groups, so a hook or check
 * program never holds root's rights; {@code setpriv} execs the program in place, so its pid, its
 * children and a kill at its deadline are the program's own.
 */
public final class ScriptUser {
    /** The daemon's own user: programs are run as they are. */
    public static final ScriptUser DAEMON = new ScriptUser(null, -1, -1, null);
    private static final List<Path> SETPRIV = List.of(Path.of("/usr/bin/setpriv"), Path.of("/bin/setpriv"));
    private static final Map<String, ScriptUser> KNOWN = new ConcurrentHashMap<>();

    private final String name;
    private final int uid;
    private final int gid;
    private final Path setpriv;

    private ScriptUser(String name, int uid, int gid, Path setpriv) {
        this.name = name;
        this.uid = uid;
        this.gid = gid;
        this.setpriv = setpriv;
    }

    /**
     * The user named by {@code script_user}, {@link #DAEMON} for null. Looked up once per name
     * (getpwnam(3), so NSS users count).
     *
     * @throws IOException naming what is missing: the user, or setpriv on a daemon running as root
     */
    public static ScriptUser of(String name) throws IOException {
        if (name == null || name.isEmpty()) {
            return DAEMON;
        }
        ScriptUser known = KNOWN.get(name);
        if (known != null) {
            return known;
        }
        Passwd pw;
        synchronized (ScriptUser.class) { // getpwnam's result lives in static storage
            pw = Holder.LIBC.getpwnam(name);
        }
        if (pw == null) {
            throw new IOException("script_user: no user '" + name + "' on this host");
        }
        Path setpriv = null;
        if (pw.pw_uid != 0 && daemonIsRoot()) {
            setpriv = SETPRIV.stream().filter(Files::isExecutable).findFirst().orElseThrow(() ->
                    new IOException("script_user = " + name + " needs setpriv (util-linux), found in neither /usr/bin nor /bin"));
        }
        ScriptUser u = new ScriptUser(name, pw.pw_uid, pw.pw_gid, setpriv);
        KNOWN.put(name, u);
        return u;
    }

    /** The user's name; null for {@link #DAEMON}. */
    public String name() {
        return name;
    }

    /**
     * The command that runs {@code argv} as this user: through setpriv when the daemon is root and
     * the user is not; else {@code argv} itself (a daemon that is not root cannot change user, and
     * its programs already run without root's rights).
     */
    public List<String> command(List<String> argv) {
        if (setpriv == null) {
            return argv;
        }
        List<String> out = new ArrayList<>(argv.size() + 5);
        out.addAll(List.of(setpriv.toString(), "--reuid=" + uid, "--regid=" + gid, "--init-groups", "--"));
        out.addAll(argv);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScriptUser u && java.util.Objects.equals(name, u.name) && uid == u.uid && gid == u.gid
                && java.util.Objects.equals(setpriv, u.setpriv);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, uid, gid);
    }

    @Override
    public String toString() {
        return name == null ? "the daemon's user" : name;
    }

    private static boolean daemonIsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** struct passwd of glibc and musl. */
    @Structure.FieldOrder({"pw_name", "pw_passwd", "pw_uid", "pw_gid", "pw_gecos", "pw_dir", "pw_shell"})
    public static final class Passwd extends Structure {
        public String pw_name;
        public String pw_passwd;
        public int pw_uid;
        public int pw_gid;
        public String pw_gecos;
        public String pw_dir;
        public String pw_shell;
    }

    interface LibC extends Library {
        Passwd getpwnam(String name);
    }

    private static final class Holder {
        static final LibC LIBC = Native.load("c", LibC.class);
    }
}
