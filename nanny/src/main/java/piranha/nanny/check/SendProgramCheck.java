package piranha.nanny.check;

import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import piranha.daemon.ScriptUser;

/**
 * External check program ({@code send_program}, which takes precedence over {@code send}): run it
 * with {@code %h}/{@code %p} substituted and judge its exit status and stdout. The server passes when
 * the program exits 0 within the deadline and, if {@code expect} is set, its stdout (one trailing
 * newline removed) equals {@code expect} (or matches it with {@code use_regex = 1}). A program that
 * times out is killed with its children.
 *
 * <p>Piranha differs: it had no working timeout, counted a non-zero exit as healthy when
 * {@code expect} was set, failed every check when {@code expect} was unset, and removed the last
 * output byte even when it was not a newline.
 */
public final class SendProgramCheck implements Check {
    private final ProgramRunner runner;
    private final List<String> argv;
    private final List<String> command;
    private final Target target;
    private final String expect;
    private final Expectation regex;
    private final Duration timeout;

    public SendProgramCheck(ProgramRunner runner, String program, Target target, String expect, boolean useRegex,
                            Duration timeout) {
        this(runner, program, target, expect, useRegex, timeout, ScriptUser.DAEMON);
    }

    /** The same, the program run as {@code user} (lvs.cf's script_user). */
    public SendProgramCheck(ProgramRunner runner, String program, Target target, String expect, boolean useRegex,
                            Duration timeout, ScriptUser user) {
        this.runner = runner;
        this.argv = SendProgram.argv(program, target.host(), target.port());
        this.command = user.command(argv);
        this.target = target;
        this.expect = expect;
        this.regex = expect != null && useRegex ? Expectation.of(expect, true) : null;
        this.timeout = timeout;
    }

    @Override
    public Future<CheckResult> run() {
        long start = System.nanoTime();
        return runner.run(command, timeout).map(o -> judge(o, start));
    }

    private CheckResult judge(ProgramRunner.Outcome o, long start) {
        String name = argv.get(0);
        switch (o.status()) {
            case FAILED_TO_START:
                return CheckResult.fail("cannot run " + name + ": " + o.error(), start);
            case TIMED_OUT:
                return CheckResult.fail(name + " for " + target + " timed out after " + Seconds.show(timeout)
                        + " and was killed", start);
            default:
                break;
        }
        if (o.exitCode() != 0) {
            return CheckResult.fail(name + " for " + target + " exited with status " + o.exitCode(), start);
        }
        if (expect == null) {
            return CheckResult.pass(name + " for " + target + " exited with status 0", start);
        }
        byte[] out = o.stdout();
        int len = out.length;
        if (len > 0 && out[len - 1] == '\n') {
            len--;
        }
        boolean ok = regex != null
                ? regex.decide(out, len, true) == Expectation.Decision.MATCH
                : new String(out, 0, len, StandardCharsets.ISO_8859_1).equals(expect);
        if (ok) {
            return CheckResult.pass(name + " for " + target + " printed the expected result", start);
        }
        return CheckResult.fail("expected '" + expect + "', got '" + Escapes.show(out, len, 32) + "'",
                "Trouble. Received results are not what we expected from (" + target + ")", start);
    }

    @Override
    public String describe() {
        return "send_program " + String.join(" ", argv);
    }

    @Override
    public String kind() {
        return "send_program";
    }
}
