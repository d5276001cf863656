package piranha.lvsd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine;

/** {@code lvsd --check [--dump] [-c FILE]}: what operators and scripts see. */
class ConfigCheckTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int check(String text, String... args) throws Exception {
        Path file = dir.resolve("lvs.cf");
        Files.writeString(file, text);
        return run("-c", file.toString(), "--check", String.join(" ", args));
    }

    private int run(String... args) {
        String[] clean = java.util.Arrays.stream(args).filter(a -> !a.isEmpty()).toArray(String[]::new);
        PrintStream o = System.out;
        PrintStream e = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new CommandLine(new LvsdMain()).execute(clean);
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aGoodFileExitsZeroAndPrintsItsWarnings() throws Exception {
        int rc = check("heartbeat = 1\nvirtual web {\n active = 1\n address = 198.51.100.10 eth0:1\n"
                + " server a {\n  address = 198.51.100.21\n  active = 1\n }\n}\n");
        assertThat(rc).isZero();
        assertThat(stderr()).isEqualTo(dir.resolve("lvs.cf") + ":1:1: warning: 'heartbeat' has no effect (Piranha ignored it too)\n");
    }

    @Test
    void errorsExitOneWithEveryErrorLocated() throws Exception {
        int rc = check("keepalive = 5s\nvirtual web {\n weight = 1\n}\n");
        assertThat(rc).isEqualTo(1);
        String f = dir.resolve("lvs.cf").toString();
        assertThat(stderr()).contains(f + ":1:13: error: keepalive: '5s' is not an integer\n")
                .contains(f + ":3:2: error: 'weight' is not valid inside a virtual block; it is valid only inside a server block\n");
    }

    @Test
    void anUnreadableFileExitsTwo() {
        assertThat(run("--check", "-c", dir.resolve("missing.cf").toString())).isEqualTo(2);
        assertThat(stderr()).contains("missing.cf: cannot read: no such file");
    }

    @Test
    void theLongOptionWorksToo() throws Exception {
        Path file = dir.resolve("x.cf");
        Files.writeString(file, "serial_no = 1\n");
        assertThat(run("--configfile=" + file, "--check")).isZero();
    }

    @Test
    void dumpPrintsTheEffectiveConfigurationAsJson() throws Exception {
        int rc = check("primary = 198.51.100.11\nbackup = 198.51.100.12\nbackup_active = 1\nkeepalive = 0.5\n"
                + "virtual web {\n active = 1\n address = 198.51.100.10 eth0:1\n port = 8080\n persistent = 60\n pmask = 255.255.255.0\n"
                + " server a {\n  address = 198.51.100.21\n  active = 1\n }\n port = 9090\n}\n", "--dump");
        assertThat(rc).isZero();
        JsonObject j = new JsonObject(out.toString(StandardCharsets.UTF_8));
        assertThat(j.getString("primary")).isEqualTo("198.51.100.11");
        assertThat(j.getString("primary_private")).isEqualTo("198.51.100.11");
        assertThat(j.getString("backup_private")).isEqualTo("198.51.100.12");
        assertThat(j.getBoolean("backup_active")).isTrue();
        assertThat(j.getValue("keepalive")).isEqualTo(0.5);
        assertThat(j.getValue("deadtime")).isEqualTo(5);
        assertThat(j.getString("network")).isEqualTo("nat");
        assertThat(j.getString("backend")).isEqualTo("auto");
        assertThat(j.getInteger("heartbeat_port")).isEqualTo(539);
        JsonArray virtuals = j.getJsonArray("virtual");
        assertThat(virtuals).hasSize(1);
        JsonObject v = virtuals.getJsonObject(0);
        assertThat(v.getString("name")).isEqualTo("web");
        assertThat(v.getString("address")).isEqualTo("198.51.100.10 eth0:1");
        assertThat(v.getBoolean("active")).isTrue();
        assertThat(v.getInteger("port")).isEqualTo(9090);
        assertThat(v.getString("pmask")).isEqualTo("255.255.255.0");
        assertThat(v.getString("scheduler")).isEqualTo("wlc");
        assertThat(v.getInteger("timeout")).isEqualTo(10);
        assertThat(v.getInteger("reentry")).isEqualTo(180);
        JsonObject s = v.getJsonArray("server").getJsonObject(0);
        assertThat(s.getString("name")).isEqualTo("a");
        assertThat(s.getInteger("port")).as("the virtual port when the server was read").isEqualTo(8080);
        assertThat(s.getInteger("weight")).isEqualTo(1);
        assertThat(j.getJsonArray("failover")).isEmpty();
    }

    @Test
    void anAllIpv6FileChecksCleanAndDumpsTheAddressesAsWritten() throws Exception {
        int rc = check("primary = 2001:db8::1\nprimary_private = fd00:1::1\nbackup = 2001:db8::2\nbackup_private = fd00:1::2\n"
                + "backup_active = 1\nnetwork = direct\nnat_router = 2001:db8:1::fe eth1:1\nnat_nmask = 64\n"
                + "virtual web6 {\n active = 1\n address = 2001:db8::10 eth0:1\n vip_nmask = 64\n port = 80\n"
                + " persistent = 60\n pmask = 64\n sorry_server = 2001:db8::99\n"
                + " server a {\n  address = 2001:db8::21\n  active = 1\n }\n"
                + " server b {\n  address = 2001:db8::22\n  active = 1\n }\n}\n", "--dump");
        assertThat(stderr()).isEmpty();
        assertThat(rc).isZero();
        JsonObject j = new JsonObject(out.toString(StandardCharsets.UTF_8));
        assertThat(j.getString("primary")).isEqualTo("2001:db8::1");
        assertThat(j.getString("backup")).isEqualTo("2001:db8::2");
        assertThat(j.getString("primary_private")).isEqualTo("fd00:1::1");
        assertThat(j.getString("backup_private")).isEqualTo("fd00:1::2");
        assertThat(j.getString("nat_router")).isEqualTo("2001:db8:1::fe eth1:1");
        assertThat(j.getValue("nat_nmask")).hasToString("64");
        JsonObject v = j.getJsonArray("virtual").getJsonObject(0);
        assertThat(v.getString("address")).isEqualTo("2001:db8::10 eth0:1");
        assertThat(v.getValue("vip_nmask")).hasToString("64");
        assertThat(v.getValue("pmask")).hasToString("64");
        assertThat(v.getString("sorry_server")).isEqualTo("2001:db8::99");
        JsonArray servers = v.getJsonArray("server");
        assertThat(servers.getJsonObject(0).getString("address")).isEqualTo("2001:db8::21");
        assertThat(servers.getJsonObject(1).getString("address")).isEqualTo("2001:db8::22");
    }

    @Test
    void aV6ServiceWithAV4RealServerIsALocatedError() throws Exception {
        int rc = check("primary = 2001:db8::1\nvirtual web6 {\n active = 1\n address = 2001:db8::10 eth0:1\n vip_nmask = 255.255.255.0\n"
                + " server a {\n  address = 198.51.100.21\n  active = 1\n }\n}\n");
        assertThat(rc).isEqualTo(1);
        String f = dir.resolve("lvs.cf").toString();
        assertThat(stderr()).contains(f + ":5:14: error: virtual 'web6': vip_nmask 255.255.255.0 is a dotted IPv4 netmask but the address is IPv6: write a prefix length such as 64\n")
                .contains(f + ":7:13: error: virtual 'web6', server 'a': 198.51.100.21 is IPv4 but the virtual address is IPv6; IPVS mixes families only with network = tunnel\n");
        assertThat(check("primary = 2001:db8::1\nnetwork = tunnel\nvirtual web6 {\n active = 1\n address = 2001:db8::10 eth0:1\n"
                + " server a {\n  address = 198.51.100.21\n  active = 1\n }\n}\n")).as("ipip to an IPv4 real server is allowed").isZero();
    }

    @Test
    void unknownOptionsGetAUsageMessage() {
        assertThat(run("--frobnicate")).isEqualTo(2);
        assertThat(stderr()).contains("Unknown option: '--frobnicate'").contains("Usage: lvsd");
    }

    @Test
    void aProgramAnotherUserCouldChangeIsALocatedErrorWhenRunAsRoot() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(piranha.lvscf.ScriptSecurity.processRunsAsRoot(), "needs root: lvsd --check judges for its own user");
        Path probe = piranha.lvsd.testing.UnsafeProgram.in(dir);
        Path open = probe.getParent();
        int rc = check("primary = 198.51.100.11\nipvsadm = /usr/sbin/ipvsadm\nvirtual web {\n active = 1\n address = 198.51.100.10 eth0:1\n"
                + " send_program = \"" + probe + " %h\"\n server a {\n  address = 198.51.100.21\n  active = 1\n }\n}\n");
        assertThat(rc).isEqualTo(1);
        assertThat(stderr()).isEqualTo(dir.resolve("lvs.cf") + ":6:17: error: send_program: " + probe + " would run as root, but "
                + open + " is writable by every user; make it and its directories writable by root only, or set script_user\n");

        out.reset();
        err.reset();
        rc = check("primary = 198.51.100.11\nipvsadm = /usr/sbin/ipvsadm\nscript_user = nobody\nvirtual web {\n active = 1\n"
                + " address = 198.51.100.10 eth0:1\n send_program = \"" + probe + " %h\"\n server a {\n  address = 198.51.100.21\n"
                + "  active = 1\n }\n}\n");
        assertThat(rc).as("run as script_user, the program is not root's concern").isZero();
    }

    @Test
    void trackBlocksAreCheckedWithTheirMistakesLocated() throws Exception {
        String lvs = "virtual web {\n active = 1\n address = 198.51.100.10 eth0:1\n"
                + " server a {\n  address = 198.51.100.21\n  active = 1\n }\n}\n";
        assertThat(check(lvs + "track haproxy {\n http = http://127.0.0.1/health\n fall = 2\n}\n")).isZero();
        assertThat(stderr()).isEmpty();
        int rc = check(lvs + "track haproxy {\n tcp = 127.0.0.1\n}\n");
        assertThat(rc).isEqualTo(1);
        assertThat(stderr()).contains(dir.resolve("lvs.cf") + ":10:8: error: tcp: '127.0.0.1' is not ADDRESS:PORT");
    }
}
