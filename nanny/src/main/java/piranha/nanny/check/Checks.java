package piranha.nanny.check;

import piranha.lvscf.model.CheckKind;
import piranha.nanny.NannyConfig;

/** Chooses and builds the check kind a nanny's configuration asks for, with Piranha's precedence. */
public final class Checks {
    private Checks() {}

    /**
     * send_program first; then UDP; then the port-80 default probe when nothing is set; then
     * send/expect; connect-only when neither send nor expect is set. With the {@code check} key its
     * kind decides instead (a {@code send_program} still wins over {@code check = tcp}).
     *
     * @throws IllegalArgumentException for an unusable value (an invalid regular expression)
     */
    public static Check forConfig(NannyConfig c, CheckEnvironment env) {
        Target target = new Target(c.address(), c.rport());
        String send = c.translateEscapes() ? Escapes.translate(c.send()) : c.send();
        String expect = c.translateEscapes() ? Escapes.translate(c.expect()) : c.expect();
        if (c.sendProgram() != null && (c.check() == null || c.check().kind() == CheckKind.TCP)) {
            return new SendProgramCheck(env.programs(), c.sendProgram(), target, expect, c.useRegex(),
                    c.timeoutDuration(), c.runAs());
        }
        Expectation expectation = expect == null ? null : Expectation.of(expect, c.useRegex());
        if (c.check() != null) {
            return forKind(c, env, target, send, expectation);
        }
        if (c.protocol() == NannyConfig.Protocol.UDP) {
            return new UdpCheck(env.vertx(), env.udp(), target, send, expectation, c.timeoutDuration());
        }
        if (HttpDefaultProbe.applies(c.port(), send, expect, null)) {
            return new HttpDefaultProbe(env.vertx(), env.netClient(), target, c.timeoutDuration());
        }
        if (send == null && expect == null) {
            return new TcpConnectCheck(env.vertx(), env.connects(), target, c.timeoutDuration());
        }
        return new TcpSendExpectCheck(env.vertx(), env.netClient(), target, send, expectation, c.timeoutDuration());
    }

    private static Check forKind(NannyConfig c, CheckEnvironment env, Target target, String send, Expectation expect) {
        CheckSpec spec = c.check();
        return switch (spec.kind()) {
            case TCP -> send == null && expect == null
                    ? new TcpConnectCheck(env.vertx(), env.connects(), target, c.timeoutDuration())
                    : new TcpSendExpectCheck(env.vertx(), env.netClient(), target, send, expect, c.timeoutDuration());
            case HTTP, HTTPS -> new HttpCheck(env.vertx(), env.resetClient(), target, spec, c.timeoutDuration());
            case DNS -> new DnsCheck(env.vertx(), target, spec.dns(), c.protocol() == NannyConfig.Protocol.TCP,
                    c.timeoutDuration());
            case SMTP -> new SmtpCheck(env.vertx(), env.resetClient(), target, spec.smtpHelo(), c.timeoutDuration());
            case SCRIPT -> new ScriptCheck(env.programs(), spec.script(), target, c.timeoutDuration());
        };
    }
}
