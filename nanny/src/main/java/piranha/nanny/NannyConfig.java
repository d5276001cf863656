package piranha.nanny;

import java.time.Duration;
import java.util.Locale;
import piranha.nanny.check.CheckSpec;

import piranha.daemon.ScriptUser;

/**
 * Everything one nanny needs, as plain values mirroring the lvs.cf {@code virtual} and {@code server}
 * keys (and the nanny command line that lvsd built from them in Piranha). Strings are raw: the
 * backslash escapes in {@code send}/{@code expect} are translated when the check is built, unless
 * {@code translateEscapes} is false (nanny's {@code -T}).
 *
 * @param address        real server IP ({@code server} address, nanny -h)
 * @param port           virtual port ({@code virtual} port, -p)
 * @param rport          real server port ({@code server} port, -r)
 * @param vip            virtual IP (-V), used for the service in table commands
 * @param fwmark         firewall mark (-f), 0 for none
 * @param protocol       tcp or udp (-u)
 * @param send           send string or null (-s)
 * @param expect         expect string or null (-x)
 * @param useRegex       expect is a regular expression (--regex)
 * @param sendProgram    external check program or null (-e)
 * @param timeout        seconds: check interval and check deadline (-t)
 * @param reentry        seconds of good checks before a failed server returns (-a)
 * @param quiesceServer  failed server goes to weight 0 instead of leaving the table (-q)
 * @param loadMonitor    load command (rup, ruptime, rsh, ssh or a program) or null for none (-U)
 * @param weight         configured weight (-w)
 * @param scale          maximum weight multiplier under load monitoring (-S)
 * @param method         forwarding method (-M)
 * @param translateEscapes translate Piranha's backslash escapes (cleared by -T)
 * @param interval       extension: seconds between check starts, 0 for {@code timeout} (Piranha)
 * @param fall           extension: consecutive failed checks that take a server out (Piranha: 1)
 * @param rise           extension: consecutive good checks that bring it back, -1 for
 *                       {@code reentry / timeout} (Piranha)
 * @param runAs          extension ({@code script_user}): who runs send_program and load_monitor
 * @param check          extension: the {@code check} key and its kind's keys, null for Piranha's choice
 */
public record NannyConfig(String address, int port, int rport, String vip, int fwmark, Protocol protocol,
                          String send, String expect, boolean useRegex, String sendProgram, int timeout,
                          int reentry, boolean quiesceServer, String loadMonitor, int weight, int scale,
                          Method method, boolean translateEscapes, int interval, int fall, int rise, ScriptUser runAs,
                          CheckSpec check) {

    public enum Protocol { TCP, UDP }

    /** LVS forwarding method, with ipvsadm's flag. */
    public enum Method {
        NAT("-m"), DIRECT("-g"), TUNNEL("-i");

        private final String flag;

        Method(String flag) {
            this.flag = flag;
        }

        public String flag() {
            return flag;
        }

        /** Piranha's -M parsing: m, g or i, a leading '-' allowed, anything else is NAT. */
        public static Method parse(String s) {
            String v = s == null ? "" : s.startsWith("-") ? s.substring(1) : s;
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "g", "direct", "gatewaying" -> DIRECT;
                case "i", "tunnel", "tun", "ipip" -> TUNNEL;
                default -> NAT;
            };
        }
    }

    public NannyConfig {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("real server address is missing");
        }
        checkPort("port", port);
        checkPort("rport", rport);
        if (timeout < 1) {
            throw new IllegalArgumentException("timeout must be at least 1 second, not " + timeout);
        }
        if (reentry < 0) {
            throw new IllegalArgumentException("reentry must not be negative, not " + reentry);
        }
        if (weight < 0) {
            throw new IllegalArgumentException("weight must not be negative, not " + weight);
        }
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be at least 1, not " + scale);
        }
        if (interval < 0) {
            throw new IllegalArgumentException("interval must not be negative, not " + interval);
        }
        if (fall < 1) {
            throw new IllegalArgumentException("fall must be at least 1, not " + fall);
        }
        if (rise < -1) {
            throw new IllegalArgumentException("rise must not be negative, not " + rise);
        }
        if (fwmark < 0) {
            throw new IllegalArgumentException("fwmark must not be negative, not " + fwmark);
        }
        if (loadMonitor != null && (loadMonitor.isBlank() || loadMonitor.equals("none"))) {
            loadMonitor = null;
        }
        if (send != null && send.isEmpty()) {
            send = null;
        }
        if (expect != null && expect.isEmpty()) {
            expect = null;
        }
        if (sendProgram != null && sendProgram.isBlank()) {
            sendProgram = null;
        }
        protocol = protocol == null ? Protocol.TCP : protocol;
        method = method == null ? Method.NAT : method;
        runAs = runAs == null ? ScriptUser.DAEMON : runAs;
    }

    private static void checkPort(String name, int p) {
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException(name + " must be 1-65535, not " + p);
        }
    }

    /** The same settings with another weight (a weight change needs no new check). */
    public NannyConfig withWeight(int w) {
        return new NannyConfig(address, port, rport, vip, fwmark, protocol, send, expect, useRegex, sendProgram, timeout,
                reentry, quiesceServer, loadMonitor, w, scale, method, translateEscapes, interval, fall, rise, runAs, check);
    }

    /**
     * What makes two nannies' checks the same probe: the target, what is sent and expected, the
     * deadline and the interval; not the service, weight or verdict settings.
     */
    public record ProbeKey(String address, int rport, Protocol protocol, String send, String expect, boolean useRegex,
                           String sendProgram, int timeout, boolean translateEscapes, long intervalMs, boolean port80,
                           ScriptUser runAs, CheckSpec check) { }

    public ProbeKey probeKey() {
        return new ProbeKey(address, rport, protocol, send, expect, useRegex, sendProgram, timeout, translateEscapes,
                intervalDuration().toMillis(), port == 80, runAs, check);
    }

    public Duration timeoutDuration() {
        return Duration.ofSeconds(timeout);
    }

    /** Good checks a failed server needs before it returns: {@code rise}, else reentry / timeout. */
    public int reentryChecks() {
        return rise >= 0 ? rise : reentry / timeout;
    }

    /** Time between check starts: {@code interval}, else {@code timeout} as Piranha. */
    public Duration intervalDuration() {
        return Duration.ofSeconds(interval > 0 ? interval : timeout);
    }

    /** "RIP:RPORT", as the log lines print it. */
    public String realServer() {
        return address + ":" + rport;
    }

    /** "VIP:PORT" or "fwmark N", as the start line prints the service. */
    public String virtualService() {
        return fwmark != 0 ? "fwmark " + fwmark : (vip == null ? "0.0.0.0" : vip) + ":" + port;
    }

    public static Builder builder(String address, int port) {
        return new Builder(address, port);
    }

    /** Builder with Piranha's defaults (timeout 10, reentry 180, weight 1, scale 10, NAT). */
    public static final class Builder {
        private final String address;
        private final int port;
        private int rport;
        private String vip = "0.0.0.0";
        private int fwmark;
        private Protocol protocol = Protocol.TCP;
        private String send;
        private String expect;
        private boolean useRegex;
        private String sendProgram;
        private int timeout = 10;
        private int reentry = 180;
        private boolean quiesceServer;
        private String loadMonitor;
        private int weight = 1;
        private int scale = 10;
        private Method method = Method.NAT;
        private boolean translateEscapes = true;
        private int interval;
        private int fall = 1;
        private int rise = -1;
        private ScriptUser runAs = ScriptUser.DAEMON;
        private CheckSpec check;

        private Builder(String address, int port) {
            this.address = address;
            this.port = port;
            this.rport = port;
        }

        public Builder rport(int v) { rport = v; return this; }
        public Builder vip(String v) { vip = v; return this; }
        public Builder fwmark(int v) { fwmark = v; return this; }
        public Builder protocol(Protocol v) { protocol = v; return this; }
        public Builder send(String v) { send = v; return this; }
        public Builder expect(String v) { expect = v; return this; }
        public Builder useRegex(boolean v) { useRegex = v; return this; }
        public Builder sendProgram(String v) { sendProgram = v; return this; }
        public Builder timeout(int v) { timeout = v; return this; }
        public Builder reentry(int v) { reentry = v; return this; }
        public Builder quiesceServer(boolean v) { quiesceServer = v; return this; }
        public Builder loadMonitor(String v) { loadMonitor = v; return this; }
        public Builder weight(int v) { weight = v; return this; }
        public Builder scale(int v) { scale = v; return this; }
        public Builder method(Method v) { method = v; return this; }
        public Builder translateEscapes(boolean v) { translateEscapes = v; return this; }
        public Builder interval(int v) { interval = v; return this; }
        public Builder fall(int v) { fall = v; return this; }
        public Builder rise(int v) { rise = v; return this; }
        public Builder runAs(ScriptUser v) { runAs = v; return this; }
        public Builder check(CheckSpec v) { check = v; return this; }

        public NannyConfig build() {
            return new NannyConfig(address, port, rport, vip, fwmark, protocol, send, expect, useRegex, sendProgram,
                    timeout, reentry, quiesceServer, loadMonitor, weight, scale, method, translateEscapes, interval, fall,
                    rise, runAs, check);
        }
    }
}
