package piranha.gui.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.json.JsonObject;
import piranha.daemon.ControlClient;

/**
 * The event timeline and "Sync to partner" across processes: the GUI in the test, the real lvsd
 * (user-space backend, two loopback HTTP real servers) and the real pulse (test mode: it runs no
 * commands) each a process of its own, the operator's actions done with the real {@code lvsadm}.
 * The timeline must show what the daemons' event streams say, in order, and follow lvsd into its
 * next run after a restart.
 */
class EventTimelineProcessTest {
    static final String VIP = "127.0.0.53";

    @TempDir
    Path dir;
    TestGui gui;
    LvsdProcess lvsd;
    PulseProcess pulse;
    final List<BrowserTest.LoopbackServer> realServers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        try {
            if (pulse != null) {
                pulse.close();
            }
            if (lvsd != null) {
                lvsd.close();
            }
        } finally {
            if (gui != null) {
                gui.close();
            }
            for (BrowserTest.LoopbackServer s : realServers) {
                s.close();
            }
        }
    }

    /** A primary whose backup is configured but not there: pulse names a partner it cannot sync with (no key). */
    String lvsCf() throws Exception {
        int vport;
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(VIP, 0));
            vport = probe.getLocalPort();
        }
        int heartbeat;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            heartbeat = probe.getLocalPort();
        }
        return "serial_no = 3\nprimary = 127.0.0.1\nbackup_active = 1\nbackup = 127.0.0.2\nheartbeat_port = " + heartbeat + "\n"
                + "keepalive = 0.5\ndeadtime = 2\nservice = lvs\nbackend = userspace\nnetwork = nat\n"
                + "virtual web {\n active = 1\n address = " + VIP + " lo:53\n port = " + vport + "\n protocol = tcp\n"
                + " scheduler = wlc\n send = \"GET / HTTP/1.0\\r\\n\\r\\n\"\n expect = \"HTTP\"\n timeout = 2\n reentry = 2\n"
                + " server rs1 {\n  address = 127.0.0.1\n  port = " + realServers.get(0).port + "\n  weight = 1\n  active = 1\n }\n"
                + " server rs2 {\n  address = 127.0.0.1\n  port = " + realServers.get(1).port + "\n  weight = 1\n  active = 1\n }\n}\n";
    }

    @Test
    void theTimelineShowsTheDaemonsStreamsInOrderAndFollowsARestartedLvsd() throws Exception {
        for (int i = 0; i < 2; i++) {
            realServers.add(BrowserTest.LoopbackServer.start("rs" + (i + 1)));
        }
        String rs1 = "127.0.0.1:" + realServers.get(0).port;
        String rs2 = "127.0.0.1:" + realServers.get(1).port;
        gui = new TestGui(dir, Duration.ofMinutes(15), null, null, lvsCf());
        lvsd = LvsdProcess.start(gui.lvsCf, gui.lvsdSocket(), dir.resolve("lvsd.out"));
        pulse = PulseProcess.start(gui.lvsCf, dir.resolve("pulse.sock"), gui.lvsdSocket(), dir.resolve("pulse.out"), "active");
        TestGui.Client c = gui.client().login();

        // pulse's stream: standby at start, then active once the partner stayed silent for deadtime
        String t = timeline(c, s -> s.contains("this primary director became active"));
        assertThat(t).contains("this primary director became standby");
        assertThat(t.indexOf("became active")).as("newest first").isLessThan(t.indexOf("became standby"));

        // a drain with the real lvsadm, then a real server stopped: both on the timeline, newest first
        assertThat(lvsadm("--reason", "maintenance", "drain", "web", rs2)).startsWith("0\n");
        timeline(c, s -> s.contains("real server (" + rs2 + ") in web is drained by the operator"));
        realServers.get(0).close();
        String down = "real server rs1 (" + rs1 + ") in web is down";
        t = timeline(c, s -> s.contains(down));
        String drained = "<span class=\"kind\">drained</span><span>real server (" + rs2 + ") in web is drained by the operator (";
        assertThat(t).contains(drained).contains("): maintenance</span>").contains("<li class=\"bad\" data-kind=\"server\"");
        assertThat(t.indexOf(down)).as("the stop after the drain").isLessThan(t.indexOf(drained));

        // a reload through pulse (lvsadm reload), then lvsd's (pulse in test mode leaves lvsd alone, so
        // the test asks lvsd as pulse would): each from its own stream
        assertThat(lvsadm("reload")).startsWith("0\n");
        timeline(c, s -> s.contains("pulse reloaded lvs.cf"));
        assertThat(ControlClient.call(gui.lvsdSocket(), new JsonObject().put("cmd", "reload"), Duration.ofSeconds(60))
                .getValue("error")).isNull();
        t = timeline(c, s -> s.contains("lvsd reloaded lvs.cf; runs serial_no 3"));
        assertThat(t).contains("pulse reloaded lvs.cf");
        assertThat(t.indexOf("lvsd reloaded lvs.cf")).isLessThan(t.indexOf("pulse reloaded lvs.cf")).isLessThan(t.indexOf(down));

        // lvsd restarted: the GUI says so and reads the new run from its start (the drain restored), then on
        lvsd.close();
        timeline(c, s -> s.contains("lvsd does not answer"));
        lvsd = LvsdProcess.start(gui.lvsCf, gui.lvsdSocket(), dir.resolve("lvsd2.out"));
        t = timeline(c, s -> s.contains("; restored when lvsd started"));
        assertThat(t).contains("lvsd runs anew");
        assertThat(lvsadm("auto", "web", rs2)).startsWith("0\n");
        t = timeline(c, s -> s.contains("real server (" + rs2 + ") in web follows its health checks again"));
        assertThat(t.indexOf("follows its health checks again")).isLessThan(t.indexOf("; restored when lvsd started"))
                .isLessThan(t.indexOf("lvsd runs anew"));
        assertThat(count(t, "lvsd reloaded lvs.cf; runs serial_no 3")).as("nothing of lvsd's first run twice").isEqualTo(1);

        // the filter's kinds: every entry carries one of the page's choices
        String page = c.get("/control").body();
        java.util.regex.Matcher kinds = java.util.regex.Pattern.compile("data-kind=\"([^\"]*)\"").matcher(t);
        int entries = 0;
        while (kinds.find()) {
            assertThat(page).contains("<option value=\"" + kinds.group(1) + "\">");
            entries++;
        }
        assertThat(entries).isGreaterThan(10);
    }

    @Test
    void syncToPartnerShowsARealPulsesRefusal() throws Exception {
        for (int i = 0; i < 2; i++) {
            realServers.add(BrowserTest.LoopbackServer.start("rs" + (i + 1)));
        }
        gui = new TestGui(dir, Duration.ofMinutes(15), null, null, lvsCf());
        lvsd = LvsdProcess.start(gui.lvsCf, gui.lvsdSocket(), dir.resolve("lvsd.out"));
        pulse = PulseProcess.start(gui.lvsCf, dir.resolve("pulse.sock"), gui.lvsdSocket(), dir.resolve("pulse.out"), "active");
        TestGui.Client c = gui.client().login();
        String page = c.get("/control").body();
        assertThat(page).as("pulse names a partner").contains("id=\"sync-partner\"");
        assertThat(c.post("/sync", Map.of("csrf", c.csrf())).statusCode()).isEqualTo(303);
        assertThat(c.get("/control").body()).contains("Not synced: lvs.cf was not installed on the partner.")
                .contains("<p class=\"error\" role=\"alert\">lvs.cf is synced only over the channel the heartbeat key authenticates, and "
                        + gui.lvsCf + " sets no heartbeat_key_file");
        assertThat(pulse.output()).doesNotContain("Exception");
    }

    /** The timeline's HTML from the page once it satisfies {@code until}; fails after 30 s with what it showed. */
    static String timeline(TestGui.Client c, Predicate<String> until) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String t = "";
        for (int i = 0; i < 300 && System.nanoTime() < end; i++) {
            String page = c.get("/control").body();
            int from = page.indexOf("<ul id=\"timeline\"");
            t = from < 0 ? "" : page.substring(from, page.indexOf("</ul>", from));
            if (until.test(t)) {
                return t;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the timeline did not show it within 30 s:\n" + t);
    }

    static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    /** The real lvsadm as a process: its exit status, a newline, then its output. */
    String lvsadm(String... args) throws Exception {
        Path classPath = Files.writeString(dir.resolve("lvsadm.classpath"),
                "-cp \"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "@" + classPath, "piranha.lvsd.admin.LvsadmMain",
                "--pulse-socket", dir.resolve("pulse.sock").toString(), "--lvsd-socket", gui.lvsdSocket().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("lvsadm " + String.join(" ", args) + " did not end:\n" + out);
        }
        return p.exitValue() + "\n" + out;
    }
}
