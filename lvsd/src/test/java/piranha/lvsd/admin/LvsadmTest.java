package piranha.lvsd.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine;
import piranha.daemon.ControlServer;
import piranha.lvsd.Lvsd;
import piranha.lvsd.LvsdOptions;
import piranha.lvsd.testing.Eventually;
import piranha.lvsd.testing.RealServers;
import piranha.lvsd.testing.WebServiceCf;

/** lvsadm against a running lvsd (user-space table) and a pulse stand-in on its socket. */
class LvsadmTest {
    @TempDir
    Path dir;
    Vertx vertx;
    RealServers servers;
    RealServers.Server rs1;
    RealServers.Server rs2;
    Lvsd lvsd;
    ControlServer pulse;
    int vport;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        servers = new RealServers();
        rs1 = servers.start("rs1");
        rs2 = servers.start("rs2");
        vport = RealServers.freePort();
        Files.writeString(dir.resolve("lvs.cf"), WebServiceCf.text("serial_no = 7\nprimary = 127.0.0.1\nbackend = userspace\n",
                "127.0.0.100 lo:100", vport, "rr", "",
                WebServiceCf.Server.of("rs1", rs1.port()), WebServiceCf.Server.of("rs2", rs2.port())));
        lvsd = new Lvsd(vertx, new LvsdOptions(dir.resolve("lvs.cf"), null, dir.resolve("lvsd.sock"), false, 0, Duration.ZERO));
        lvsd.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (pulse != null) {
            pulse.close();
        }
        lvsd.shutdown().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        servers.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** pulse's status as pulse sends it (pulse/README.md); the operator journey test reads the real one. */
    private void fakePulse(String partner, long restarts) throws Exception {
        pulse = ControlServer.start(dir.resolve("pulse.sock"), Map.of("status", r -> Future.succeededFuture(new JsonObject()
                .put("daemon", "pulse").put("pid", 42).put("role", "primary").put("state", "active")
                .put("since", "2026-11-22T01:00:00Z").put("inhibit", new io.vertx.core.json.JsonArray())
                .put("partner", partner).put("lastHeartbeatAgeMs", partner.equals("none") ? null : 400)
                .put("sent", partner.equals("none") ? 0 : 10).put("received", partner.equals("none") ? 0 : 9)
                .put("rejected", partner.equals("none") ? 0 : 1).put("lvsdRestarts", restarts))), Duration.ofSeconds(5));
    }

    private void fakePulse() throws Exception {
        fakePulse("stopped", 0);
    }

    private String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = System.out;
        PrintStream e = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int rc;
        try {
            String[] all = new String[args.length + 4];
            all[0] = "--pulse-socket";
            all[1] = dir.resolve("pulse.sock").toString();
            all[2] = "--lvsd-socket";
            all[3] = dir.resolve("lvsd.sock").toString();
            System.arraycopy(args, 0, all, 4, args.length);
            rc = new CommandLine(new LvsadmMain()).execute(all);
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
        return new String[] {Integer.toString(rc), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void statusShowsTheDirectorThePartnerAndTheTable() throws Exception {
        fakePulse();
        String[] r = run();
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).contains("Director: primary, active since " + StatusReport.when("2026-11-22T01:00:00Z") + ", pulse pid 42")
                .contains("Partner:  stopped, last heartbeat 0.4 s ago")
                .contains("Heartbeats: 10 sent, 9 received, 1 rejected")
                .contains("lvsd:     ready, backend userspace, " + dir.resolve("lvs.cf") + " (serial_no 7)")
                .contains("TCP  127.0.0.100:" + vport + " rr   (web)")
                .containsPattern("  -> 127\\.0\\.0\\.1:" + rs1.port() + " +Masq +1 +0 +0 +up +got expected reply from 127\\.0\\.0\\.1:" + rs1.port() + " \\([0-9.]+ ms\\)");
    }

    @Test
    void failoverServicesShowTheirRoleHealthAndLastCheck() {
        JsonObject pulse = new JsonObject().put("role", "backup").put("state", "standby").put("partner", "running")
                .put("lastHeartbeatAgeMs", 100).put("sent", 5).put("received", 5).put("rejected", 0)
                .put("inhibit", new io.vertx.core.json.JsonArray().add("SERVICEFAIL"))
                .put("failover", new io.vertx.core.json.JsonArray()
                        .add(new JsonObject().put("name", "web").put("role", "monitor").put("health", "up")
                                .put("last", "got expected reply from 198.51.100.100:80"))
                        .add(new JsonObject().put("name", "dns").put("role", "monitor").put("health", "unknown").put("last", "")));
        String text = StatusReport.render(pulse, new JsonObject().put("error", "lvsd is not running"));
        assertThat(text).contains("Director: backup, standby (inhibited: SERVICEFAIL)")
                .contains("Failover: web monitor up: got expected reply from 198.51.100.100:80\n")
                .contains("Failover: dns monitor unknown\n");
    }

    /** vip_group blocks: one line per group, with its state, role, port, partner and VIPs. */
    @Test
    void vipGroupsShowOneLinePerGroup() {
        io.vertx.core.json.JsonArray groups = new io.vertx.core.json.JsonArray()
                .add(new JsonObject().put("name", "g1").put("state", "active").put("role", "primary").put("heartbeatPort", 540)
                        .put("partner", "stopped").put("lastHeartbeatAgeMs", 120)
                        .put("vips", new io.vertx.core.json.JsonArray().add("198.51.100.100")))
                .add(new JsonObject().put("name", "g2").put("state", "standby").put("role", "backup").put("heartbeatPort", 541)
                        .put("partner", "running").put("vips", new io.vertx.core.json.JsonArray()));
        JsonObject pulse = new JsonObject().put("mode", "vip_groups").put("role", "primary").put("state", "active")
                .put("pid", 42).put("lvsdPid", 43).put("lvsdRestarts", 1).put("groups", groups);
        assertThat(StatusReport.render(pulse, new JsonObject().put("error", "lvsd is not running")))
                .startsWith("Director: VIP groups, primary of lvs.cf, active, pulse pid 42, lvsd restarted 1 time\n"
                        + "Group:    g1 active (primary, port 540), partner stopped 0.1 s ago: 198.51.100.100\n"
                        + "Group:    g2 standby (backup, port 541), partner running: no address\n"
                        + "lvsd:     lvsd is not running\n")
                .doesNotContain("Heartbeats");
    }

    /** director_mode = active_active: no partner, but each VIP's route and BIRD with its BGP sessions. */
    @Test
    void anActiveActiveDirectorShowsItsRoutesAndBird() {
        io.vertx.core.json.JsonArray routes = new io.vertx.core.json.JsonArray()
                .add(new JsonObject().put("vip", "203.0.113.200").put("announced", true)
                        .put("services", new io.vertx.core.json.JsonArray().add("web")))
                .add(new JsonObject().put("vip", "203.0.113.201").put("announced", false)
                        .put("reason", "virtual dns: no real server up").put("services", new io.vertx.core.json.JsonArray().add("dns")));
        JsonObject bird = new JsonObject().put("pid", 77).put("state", "running").put("restarts", 1)
                .put("sessions", new io.vertx.core.json.JsonArray()
                        .add(new JsonObject().put("protocol", "router1").put("state", "up").put("info", "Established"))
                        .add(new JsonObject().put("protocol", "router2").put("state", "start").put("info", "Active")));
        JsonObject pulse = new JsonObject().put("mode", "active_active").put("state", "active").put("since", "2026-11-22T01:00:00Z")
                .put("pid", 42).put("routes", routes).put("bird", bird).put("linksDown", new io.vertx.core.json.JsonArray().add("eth1"))
                .put("lvsdPid", 43).put("lvsdRestarts", 0);
        String text = StatusReport.render(pulse, new JsonObject().put("error", "lvsd is not running"));
        assertThat(text).startsWith("Director: active-active, active since " + StatusReport.when("2026-11-22T01:00:00Z") + ", pulse pid 42\n"
                + "Route:    203.0.113.200 announced (web)\n"
                + "Route:    203.0.113.201 withdrawn: virtual dns: no real server up (dns)\n"
                + "BIRD:     running, pid 77, restarted 1 time; BGP router1 Established, router2 Active\n"
                + "Links:    down: eth1 (every route withdrawn)\n"
                + "lvsd:     lvsd is not running\n").doesNotContain("Partner", "Heartbeats");

        bird.put("state", "down").put("pid", 0).put("lastExit", "bird (pid 77) was killed by signal 9").put("sessions", new io.vertx.core.json.JsonArray());
        assertThat(StatusReport.render(pulse, new JsonObject().put("error", "x")))
                .contains("BIRD:     down: no route leaves this director (bird (pid 77) was killed by signal 9), restarted 1 time\n");

        // director_peers: who is heard and the hand-over ring, between BIRD and the links
        pulse.put("peers", new JsonObject().put("self", "198.51.100.11")
                .put("directors", new io.vertx.core.json.JsonArray()
                        .add(new JsonObject().put("address", "198.51.100.12").put("live", true).put("sinceHeardMs", 300))
                        .add(new JsonObject().put("address", "198.51.100.13").put("live", false).putNull("sinceHeardMs")))
                .put("ring", new io.vertx.core.json.JsonArray().add("198.51.100.11").add("198.51.100.12")));
        assertThat(StatusReport.render(pulse, new JsonObject().put("error", "x"))).contains("restarted 1 time\n"
                + "Peers:    198.51.100.12 live, 198.51.100.13 not heard; flow hand-over ring 198.51.100.11 198.51.100.12\n"
                + "Links:    down: eth1");
        pulse.getJsonObject("peers").put("ring", new io.vertx.core.json.JsonArray().add("198.51.100.11"));
        assertThat(StatusReport.render(pulse, new JsonObject().put("error", "x")))
                .contains("198.51.100.13 not heard; no flow hand-over (no other director live)\n");
    }

    @Test
    void trackedChecksShowTheirHealthAndLastResult() {
        JsonObject pulse = new JsonObject().put("role", "primary").put("state", "standby").put("partner", "running")
                .put("lastHeartbeatAgeMs", 100).put("sent", 5).put("received", 5).put("rejected", 0)
                .put("inhibit", new io.vertx.core.json.JsonArray().add("TRACKFAIL"))
                .put("track", new io.vertx.core.json.JsonArray()
                        .add(new JsonObject().put("name", "haproxy").put("kind", "process").put("target", "haproxy")
                                .put("health", "failing").put("last", "no process haproxy runs").put("lastAgeMs", 1500))
                        .add(new JsonObject().put("name", "api").put("kind", "http").put("target", "http://127.0.0.1:8080/")
                                .put("health", "unknown").put("last", "").putNull("lastAgeMs")));
        String text = StatusReport.render(pulse, new JsonObject().put("error", "lvsd is not running"));
        assertThat(text).contains("Director: primary, standby (inhibited: TRACKFAIL)")
                .contains("Track:    haproxy (process haproxy) failing: no process haproxy runs (1.5 s ago)\n")
                .contains("Track:    api (http http://127.0.0.1:8080/) unknown\n");
    }

    @Test
    void theLastCheckOfAFieldCheckShowsKindCodeCertificateAndSharing() {
        JsonObject rs = new JsonObject().put("address", "127.0.0.1").put("port", 8443).put("health", "down").put("weight", 0)
                .put("in_table", false).put("reason", "HTTP 500 Internal Server Error from 127.0.0.1:8443 for GET /")
                .put("latency_ms", 1.25).put("check", "https").put("check_code", 500)
                .put("cert_expires", "2027-01-01T00:00:00Z").put("probe_users", 2);
        JsonObject lvsd = new JsonObject().put("ready", true).put("backend", "userspace").put("config", "lvs.cf")
                .put("serial_no", 3).put("probes", new JsonObject().put("distinct", 1).put("nannies", 2))
                .put("services", new io.vertx.core.json.JsonArray().add(new JsonObject().put("name", "web").put("protocol", "tcp")
                        .put("address", "127.0.0.100").put("port", 443).put("scheduler", "rr")
                        .put("servers", new io.vertx.core.json.JsonArray().add(rs))));
        String text = StatusReport.render(new JsonObject().put("error", "pulse is not running"), lvsd);
        assertThat(text).contains("Probes:   1 for 2 nannies (identical checks run once)\n")
                .contains("down      https 500: HTTP 500 Internal Server Error from 127.0.0.1:8443 for GET / (1.3 ms)"
                        + " [certificate valid until 2027-01-01T00:00:00Z] [probe shared by 2] [not in table]");
    }

    @Test
    void anIpv6ServiceAndItsServersArePrintedAsBracketedAddressAndPort() {
        JsonObject rs = new JsonObject().put("address", "2001:db8::21").put("port", 80).put("health", "up").put("weight", 1)
                .put("in_table", true).put("reason", "connected to [2001:db8::21]:80");
        JsonObject lvsd = new JsonObject().put("ready", true).put("backend", "ipvsadm").put("config", "lvs.cf")
                .put("serial_no", 3)
                .put("services", new io.vertx.core.json.JsonArray().add(new JsonObject().put("name", "web6").put("protocol", "tcp")
                        .put("address", "2001:db8::10").put("port", 80).put("scheduler", "rr")
                        .put("servers", new io.vertx.core.json.JsonArray().add(rs))));
        String text = StatusReport.render(new JsonObject().put("error", "pulse is not running"), lvsd);
        assertThat(text).contains("TCP  [2001:db8::10]:80 rr   (web6)\n").contains("  -> [2001:db8::21]:80 ");
    }

    @Test
    void aLonePrimarySaysItHasNoPartnerAndCountsLvsdRestarts() throws Exception {
        fakePulse("none", 2);
        String[] r = run();
        assertThat(r[1]).contains("Director: primary, active since " + StatusReport.when("2026-11-22T01:00:00Z")
                + ", pulse pid 42, lvsd restarted 2 times\n"
                + "Partner:  none: no partner configured\nlvsd:     ready").doesNotContain("Heartbeats", "no heartbeat yet");
    }

    @Test
    void aDaemonThatIsNotRunningIsSaidPlainly() {
        String[] r = run();
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).startsWith("pulse:    pulse is not running: no control socket at " + dir.resolve("pulse.sock"));
    }

    @Test
    void jsonForScripts() throws Exception {
        fakePulse();
        JsonObject j = new JsonObject(run("--json")[1]);
        assertThat(j.getJsonObject("pulse").getString("state")).isEqualTo("active");
        JsonObject web = j.getJsonObject("lvsd").getJsonArray("services").getJsonObject(0);
        assertThat(web.getString("name")).isEqualTo("web");
        // the first checks ran before lvsd was ready: each server says when its last one ended
        for (Object rs : web.getJsonArray("servers")) {
            assertThat(java.time.Instant.parse(((JsonObject) rs).getString("last_check")))
                    .isBetween(java.time.Instant.now().minusSeconds(120), java.time.Instant.now());
        }
    }

    @Test
    void operatorActions() throws Exception {
        String[] drained = run("drain", "web", rs1.endpoint());
        assertThat(drained[0]).isEqualTo("0");
        assertThat(drained[1]).isEqualTo("drain web " + rs1.endpoint() + ": done\n");
        Eventually.within(Duration.ofSeconds(5), () -> assertThat(run()[1]).containsPattern(
                "  -> 127\\.0\\.0\\.1:" + rs1.port() + " +Masq +0 +.*up\\(drain\\)"));
        String[] bad = run("force-down", "web", "127.0.0.1:1");
        assertThat(bad[0]).isEqualTo("1");
        assertThat(bad[2]).isEqualTo("lvsd: force-down: virtual service web has no active real server 127.0.0.1:1\n");
        String[] reloaded = run("reload");
        assertThat(reloaded[0]).isEqualTo("0");
        assertThat(reloaded[1]).isEqualTo("pulse: pulse is not running: no control socket at " + dir.resolve("pulse.sock")
                + "; lvsd asked directly\nlvsd: reloaded; nothing changed\n");
        assertThat(run("frobnicate")[0]).isEqualTo("2");
    }

    @Test
    void theConfigLineSaysWhetherThePartnersCopyOfLvsCfDiffers() {
        String a = "a".repeat(64);
        String b = "b".repeat(64);
        JsonObject pulse = new JsonObject().put("role", "primary").put("state", "active").put("partner", "running")
                .put("lastHeartbeatAgeMs", 100).put("sent", 5).put("received", 5).put("rejected", 0).put("authenticated", true)
                .put("config", new JsonObject().put("serial", 8).put("digest", a));
        JsonObject noLvsd = new JsonObject().put("error", "lvsd is not running");
        pulse.put("partnerConfig", new JsonObject().put("serial", 8).put("digest", a));
        assertThat(StatusReport.render(pulse, noLvsd)).contains("Config:   serial_no 8 (sha256 aaaaaaaaaaaa), partner the same\n");
        pulse.put("partnerConfig", new JsonObject().put("serial", 7).put("digest", b));
        assertThat(StatusReport.render(pulse, noLvsd)).contains("Config:   serial_no 8 (sha256 aaaaaaaaaaaa), partner serial_no 7"
                + " (sha256 bbbbbbbbbbbb): the copies of lvs.cf DIFFER (lvsadm sync sends this one)\n");
        pulse.put("partnerConfig", new JsonObject().put("serial", 9).put("digest", b));
        assertThat(StatusReport.render(pulse, noLvsd)).contains("DIFFER (the partner's is newer)");
        // same serial, other bytes: still different copies
        pulse.put("partnerConfig", new JsonObject().put("serial", 8).put("digest", b));
        assertThat(StatusReport.render(pulse, noLvsd)).contains("DIFFER\n");
        pulse.putNull("partnerConfig");
        assertThat(StatusReport.render(pulse, noLvsd)).contains("partner's unknown (no signed heartbeat has named it yet)");
        pulse.put("authenticated", false);
        assertThat(StatusReport.render(pulse, noLvsd)).contains("partner's unknown (unsigned heartbeats do not carry it)");
    }

    @Test
    void syncPrintsThePartnersAnswerOrItsRefusal() throws Exception {
        JsonObject[] answer = {new JsonObject().put("synced", true).put("partner", "198.51.100.12:539").put("serial", 3)
                .put("digest", "c".repeat(64)).put("reason", "lvs.cf written (serial_no 3, 900 bytes); pulse and lvsd reloaded")};
        pulse = ControlServer.start(dir.resolve("pulse.sock"), Map.of("sync", r -> Future.succeededFuture(answer[0])),
                Duration.ofSeconds(5));
        String[] r = run("sync");
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).isEqualTo("lvs.cf serial_no 3 synced to 198.51.100.12:539: lvs.cf written (serial_no 3, 900 bytes);"
                + " pulse and lvsd reloaded\n");
        answer[0] = new JsonObject().put("synced", false).put("error", "the partner 198.51.100.12:539 refused lvs.cf: bad MAC");
        r = run("sync");
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[2]).isEqualTo("lvsadm: lvs.cf not synced: the partner 198.51.100.12:539 refused lvs.cf: bad MAC\n");
        pulse.close();
        pulse = null;
        r = run("sync");
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[2]).startsWith("lvsadm: pulse is not running");
    }
}
