package piranha.nanny;

import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import piranha.daemon.ScriptUser;
import piranha.nanny.check.ProgramRunner;

/**
 * Samples a real server's 1-minute load average with the {@code load_monitor} command, as Piranha:
 * {@code CMD RIP}, plus {@code uptime} when CMD is rsh or ssh ({@code load_monitor = uptime} runs
 * {@code rsh_command}). The command runs under the check timeout and is killed past it.
 */
public final class LoadMonitor {
    private final ProgramRunner runner;
    private final List<String> argv;
    private final List<String> command;
    private final Duration timeout;

    public LoadMonitor(ProgramRunner runner, String command, String host, Duration timeout) {
        this(runner, command, host, timeout, ScriptUser.DAEMON);
    }

    /** The same, the command run as {@code user} (lvs.cf's script_user). */
    public LoadMonitor(ProgramRunner runner, String command, String host, Duration timeout, ScriptUser user) {
        this.runner = runner;
        this.argv = argv(command, host);
        this.command = user.command(argv);
        this.timeout = timeout;
    }

    static List<String> argv(String command, String host) {
        List<String> argv = new ArrayList<>(List.of(command.trim().split("\\s+")));
        argv.add(host);
        String name = argv.get(0).substring(argv.get(0).lastIndexOf('/') + 1);
        if (name.equals("rsh") || name.equals("ssh")) {
            argv.add("uptime");
        }
        return argv;
    }

    public List<String> argv() {
        return argv;
    }

    /** The load average, or empty when the command failed, timed out or printed none. */
    public Future<OptionalDouble> sample() {
        return runner.run(command, timeout).map(o -> o.status() == ProgramRunner.Outcome.Status.EXITED && o.exitCode() == 0
                ? LoadRule.parseLoad(new String(o.stdout(), StandardCharsets.ISO_8859_1))
                : OptionalDouble.empty());
    }
}
