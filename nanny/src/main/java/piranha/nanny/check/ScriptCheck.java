package piranha.nanny.check;

import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code check = script}: run {@code check_script} ({@code %h}/{@code %p} replaced, no shell) and read
 * its exit status as keepalived's MISC_CHECK with {@code misc_dynamic} does:
 * <ul>
 *   <li>0: up, the weight left as it is;</li>
 *   <li>1: down;</li>
 *   <li>2 to 255: up, at weight status − 2 (exit 2 means weight 0: no new connections).</li>
 * </ul>
 * A program still running at the deadline is killed with its descendants and fails. When lvsd runs
 * as root the program runs as {@code check_script_user} (default nobody), through util-linux's
 * {@code setpriv}, which sets the user and group and drops every supplementary group before it
 * executes the program (no shell, no PAM). A program killed by a signal reads as 128 + the signal
 * (Java cannot tell it from such an exit), which is 2 to 255: up at that weight minus 2.
 */
public final class ScriptCheck implements Check {
    private static final List<String> SETPRIV = List.of("/usr/bin/setpriv", "/bin/setpriv");

    private final ProgramRunner runner;
    private final List<String> argv;
    private final Target target;
    private final Duration timeout;
    private final String user;

    public ScriptCheck(ProgramRunner runner, CheckSpec.Script script, Target target, Duration timeout) {
        this.runner = runner;
        this.target = target;
        this.timeout = timeout;
        this.user = script.user() == null ? "nobody" : script.user();
        List<String> program = SendProgram.argv(script.command(), target.host(), target.port());
        this.argv = isRoot() ? asUser(program, user) : program;
    }

    /** Whether this process runs as root (the owner of /proc/self is the effective user). */
    static boolean isRoot() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** {@code setpriv --reuid=UID --regid=GID --clear-groups -- PROGRAM ARGS...}. */
    static List<String> asUser(List<String> program, String user) {
        if (user.equals("root") || user.matches("0+")) {
            throw new IllegalArgumentException("check_script_user must not be root");
        }
        long[] ids = ids(user);
        String setpriv = SETPRIV.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("setpriv (util-linux) is needed to run check_script as "
                        + user + " and was not found in /usr/bin or /bin"));
        List<String> argv = new ArrayList<>(List.of(setpriv, "--reuid=" + ids[0], "--regid=" + ids[1], "--clear-groups",
                "--"));
        argv.addAll(program);
        return argv;
    }

    /** The uid and primary gid of a user from /etc/passwd; a numeric uid absent from it gets gid = uid. */
    static long[] ids(String user) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] f = line.split(":", -1);
                if (f.length >= 4 && (f[0].equals(user) || f[2].equals(user))) {
                    return new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])};
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalArgumentException("cannot read /etc/passwd for check_script_user " + user + ": " + e.getMessage());
        }
        if (user.matches("[0-9]{1,10}")) {
            return new long[] {Long.parseLong(user), Long.parseLong(user)};
        }
        throw new IllegalArgumentException("check_script_user '" + user + "' is not a user of this system");
    }

    public List<String> argv() {
        return argv;
    }

    @Override
    public Future<CheckResult> run() {
        long start = System.nanoTime();
        return runner.run(argv, timeout).map(o -> judge(o, start));
    }

    private CheckResult judge(ProgramRunner.Outcome o, long start) {
        String name = program();
        switch (o.status()) {
            case FAILED_TO_START:
                return CheckResult.fail("cannot run " + name + ": " + o.error(), start);
            case TIMED_OUT:
                return CheckResult.fail(name + " for " + target + " timed out after " + Seconds.show(timeout)
                        + " and was killed with its children", start);
            default:
                break;
        }
        int status = o.exitCode();
        CheckResult.Detail code = CheckResult.Detail.code(status);
        if (status == 0) {
            return CheckResult.pass(name + " for " + target + " exited 0", start).with(code);
        }
        if (status == 1) {
            return CheckResult.fail(name + " for " + target + " exited 1", start).with(code);
        }
        if (status >= 2 && status <= 255) {
            return CheckResult.pass(name + " for " + target + " exited " + status + ": weight " + (status - 2), start)
                    .with(new CheckResult.Detail(status, null, status - 2));
        }
        return CheckResult.fail(name + " for " + target + " exited " + status, start).with(code);
    }

    private String program() {
        int dashes = argv.indexOf("--");
        return argv.get(argv.get(0).endsWith("setpriv") && dashes >= 0 ? dashes + 1 : 0);
    }

    @Override
    public String describe() {
        return "script " + String.join(" ", argv);
    }

    @Override
    public String kind() {
        return "script";
    }
}
