package piranha.nanny.check;

import piranha.nanny.NannyConfig;

/** Chooses and builds the check kind a nanny's configuration asks for, with Piranha's precedence. */
public final class Checks {
    private Checks() {}

    /**
     * send_program first; then UDP; then the port-80 default probe when nothing is set; then
     * send/expect; connect-only when neither send nor expect is set.
     *
     * @throws IllegalArgumentException for an unusable value (an invalid regular expression)
     */
    public static Check forConfig(NannyConfig c, CheckEnvironment env) {
        Target target = new Target(c.address(), c.rport());
        String send = c.translateEscapes() ? Escapes.translate(c.send()) : c.send();
        String expect = c.translateEscapes() ? Escapes.translate(c.expect()) : c.expect();
        if (c.sendProgram() != null) {
            return new SendProgramCheck(env.programs(), c.sendProgram(), target, expect, c.useRegex(),
                    c.timeoutDuration(), c.runAs());
        }
        Expectation expectation = expect == null ? null : Expectation.of(expect, c.useRegex());
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
}
