package piranha.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import piranha.daemon.ControlClient;
import piranha.daemon.testing.RequiredTools;

/**
 * The appliance as an operator meets it: {@code bin/demo} as the README starts it (real pulse as a
 * lone primary, the real lvsd pulse starts, the real configuration tool, the demo's real servers),
 * then every step the README and the demo's hints name, each checked by its effect on traffic
 * through the virtual IP and in {@code lvsadm --json}; every button of the GUI in headless
 * Chromium; what it costs idle; and that SIGTERM to the demo's pid leaves nothing behind. The
 * steps run in order, on one demo, as an operator would take them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorJourneyTest {
    static final Duration CLI = Duration.ofSeconds(60);
    /** 2 % of a core: what a daemon may cost while nothing happens. */
    static final double IDLE_LIMIT = 0.02;

    Path tmp;
    Demo demo;
    Vip vip;
    String rs2;
    Map<String, String> env;

    @BeforeAll
    void startTheDemo() throws Exception {
        RequiredTools.program("curl", "/usr/bin/curl");
        tmp = Files.createTempDirectory("journey");
        demo = Demo.start(tmp.resolve("demo"));
        demo.awaitBanner(Duration.ofMinutes(3));
        vip = new Vip(demo.vip, demo.vport);
        rs2 = "127.0.0.1:" + demo.rs2Port;
        env = demo.operatorEnv();
        Eventually.within(Duration.ofSeconds(60), () -> assertThat(servers()).extracting(s -> s.getString("health"))
                .containsExactly("up", "up"));
    }

    @AfterAll
    void stopTheDemo() throws Exception {
        if (demo != null) {
            demo.close();
        }
        if (tmp != null) {
            try (var files = Files.walk(tmp)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ------------------------------------------------------------------ what the demo says to do

    @Test
    @Order(1)
    void theHintsAreTheStepsOfThisJourney() {
        String lvsadm = "PIRANHA_DEMO_DIR=" + demo.dir + " bin/lvsadm";
        assertThat(demo.hintCommands()).containsExactly(
                "curl http://" + demo.vip + ":" + demo.vport + "/",
                lvsadm,
                lvsadm + " --watch",
                lvsadm + " drain demo_web " + rs2,
                lvsadm + " auto demo_web " + rs2,
                lvsadm + " reload",
                "kill " + demo.rs2Pid());
    }

    /** Idle, as a lone primary: pulse, lvsd checking two real servers, and the GUI, each under 2 % of a core. */
    @Test
    @Order(2)
    void idleItCostsNothing() throws Exception {
        JsonObject pulse = pulseStatus();
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("pulse", pulse.getLong("pid"));
        pids.put("lvsd", pulse.getLong("lvsdPid"));
        pids.put("piranha-gui", guiPid());
        Thread.sleep(10_000); // start-up's compilation settles
        Map<String, Double> shares = CpuMeter.shares(pids, Duration.ofSeconds(60));
        System.out.printf("idle CPU over 60 s, lone primary (load %s): %s%n", CpuMeter.loadAverage(), percent(shares));
        assertThat(shares).allSatisfy((daemon, share) -> assertThat(share).as(daemon + " idle, share of a core")
                .isLessThan(IDLE_LIMIT));
    }

    @Test
    @Order(3)
    void curlReachesTheRealServersInTurn() throws Exception {
        String curl = demo.hintCommands().get(0);
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Command.Result r = Command.shell(curl, env, CLI);
            assertThat(r.status()).as(r.toString()).isZero();
            answers.add(r.out().strip());
        }
        assertThat(answers).anyMatch(a -> a.startsWith("Hello from demo_rs1")).anyMatch(a -> a.startsWith("Hello from demo_rs2"));
    }

    @Test
    @Order(4)
    void plainLvsadmShowsThisDirectorAndTheTable() throws Exception {
        Command.Result r = hint(1);
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.out()).containsPattern("Director: primary, active since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\S+, pulse pid \\d+\\n")
                .contains("Partner:  none: no partner configured\n")
                .doesNotContain("Heartbeats", "not running", "lvsd restarted")
                .contains("lvsd:     ready, backend userspace, " + demo.dir.resolve("lvs.cf"))
                .containsPattern("TCP  " + demo.vip.replace(".", "\\.") + ":" + demo.vport + " rr")
                .containsPattern("-> 127\\.0\\.0\\.1:" + demo.rs1Port + " +Masq +1 .* up ")
                .containsPattern("-> 127\\.0\\.0\\.1:" + demo.rs2Port + " +Masq +1 .* up ");
        Command.Result status = lvsadm("status");
        assertThat(status.status()).isZero();
        assertThat(status.out()).startsWith("Director: primary, active since ");

        JsonObject json = json();
        assertThat(json.getJsonObject("pulse").getString("state")).isEqualTo("active");
        assertThat(json.getJsonObject("pulse").getString("partner")).isEqualTo("none");
        JsonObject web = service(json);
        assertThat(web.getString("name")).isEqualTo("demo_web");
        assertThat(web.getJsonArray("servers")).hasSize(2).allSatisfy(s -> {
            JsonObject rs = (JsonObject) s;
            assertThat(rs.getString("health")).isEqualTo("up");
            assertThat(rs.getBoolean("in_table")).isTrue();
            assertThat(rs.getString("last_check")).isNotBlank();
        });
    }

    @Test
    @Order(5)
    void watchRefreshesTheStatus() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", demo.hintCommands().get(2) + " 1")
                .directory(Checkout.ROOT.toFile()).redirectErrorStream(true);
        Command.clean(pb.environment());
        pb.environment().putAll(env);
        Path out = tmp.resolve("watch.out");
        Process watch = pb.redirectOutput(out.toFile()).start();
        try {
            Eventually.within(Duration.ofSeconds(60), () -> assertThat(Files.readString(out).split("\033\\[H\033\\[2J", -1))
                    .as("screens drawn").hasSizeGreaterThanOrEqualTo(3));
        } finally {
            watch.descendants().forEach(ProcessHandle::destroy);
            watch.destroy();
        }
        assertThat(Files.readString(out)).contains("Partner:  none: no partner configured");
    }

    @Test
    @Order(6)
    void drainThenAutoFromTheHints() throws Exception {
        Command.Result drain = hint(3);
        assertThat(drain.status()).as(drain.toString()).isZero();
        assertThat(drain.out()).isEqualTo("drain demo_web " + rs2 + ": done\n");
        JsonObject s = server(rs2);
        assertThat(s.getString("override")).isEqualTo("drain");
        assertThat(s.getInteger("weight")).isZero();
        assertThat(vip.get(6)).containsOnly("demo_rs1");

        Command.Result auto = hint(4);
        assertThat(auto.status()).as(auto.toString()).isZero();
        assertThat(server(rs2).getString("override")).isEqualTo("auto");
        Eventually.within(Duration.ofSeconds(30), () -> assertThat(vip.get(4)).contains("demo_rs1", "demo_rs2"));
    }

    @Test
    @Order(7)
    void forceDownForceUpAndAuto() throws Exception {
        assertThat(lvsadm("force-down", "demo_web", rs2).status()).isZero();
        Eventually.within(Duration.ofSeconds(10), () -> {
            JsonObject s = server(rs2);
            assertThat(s.getString("health")).isEqualTo("down");
            assertThat(s.getString("override")).isEqualTo("down");
            assertThat(s.getBoolean("in_table")).isFalse();
        });
        assertThat(vip.get(4)).containsOnly("demo_rs1");

        assertThat(lvsadm("force-up", "demo_web", rs2).status()).isZero();
        Eventually.within(Duration.ofSeconds(10), () -> {
            JsonObject s = server(rs2);
            assertThat(s.getString("health")).isEqualTo("up");
            assertThat(s.getString("override")).isEqualTo("up");
        });
        Eventually.within(Duration.ofSeconds(10), () -> assertThat(vip.get(4)).contains("demo_rs1", "demo_rs2"));

        assertThat(lvsadm("auto", "demo_web", rs2).status()).isZero();
        assertThat(server(rs2).getString("override")).isEqualTo("auto");

        Command.Result unknown = lvsadm("drain", "demo_web", "127.0.0.1:1");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("lvsd: drain: virtual service demo_web has no active real server 127.0.0.1:1\n");
        assertThat(lvsadm("frobnicate").status()).isEqualTo(2);
    }

    @Test
    @Order(8)
    void reloadAfterEditingLvsCfSaysWhatEachDaemonDid() throws Exception {
        Path cf = demo.dir.resolve("lvs.cf");
        String original = Files.readString(cf);
        Files.writeString(cf, original.replace("scheduler = rr", "scheduler = wlc"));
        Command.Result r = hint(5);
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("pulse: reloaded; nothing pulse uses changed\nlvsd: reloaded; 1 change:\n")
                .contains("  changed virtual service demo_web: ").contains("-s wlc");
        assertThat(service(json()).getString("scheduler")).isEqualTo("wlc");

        // the README's check of a file, and a reload that refuses it
        Files.writeString(cf, original.replace("scheduler = rr", "scheduler = fastest"));
        int line = lineOf(Files.readString(cf), "scheduler = fastest");
        Command.Result check = Command.run(List.of(Checkout.bin("lvsd").toString(), "--check", "-c", cf.toString()), env, CLI);
        assertThat(check.status()).as(check.toString()).isEqualTo(1);
        assertThat(check.out() + check.err()).contains(cf + ":" + line + ":");
        Command.Result refused = hint(5);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).startsWith("pulse: refused the reload, the running configuration stays:\n  " + cf + ":" + line + ":")
                .contains("scheduler").contains("lvsd: not asked: pulse refused lvs.cf");
        assertThat(service(json()).getString("scheduler")).as("the running configuration stays").isEqualTo("wlc");

        Files.writeString(cf, original);
        Command.Result back = hint(5);
        assertThat(back.status()).as(back.toString()).isZero();
        assertThat(service(json()).getString("scheduler")).isEqualTo("rr");
        Command.Result dump = Command.run(List.of(Checkout.bin("lvsd").toString(), "--check", "--dump", "-c", cf.toString()), env, CLI);
        assertThat(dump.status()).as(dump.toString()).isZero();
        assertThat(new JsonObject(dump.out()).encode()).contains("demo_web");
    }

    /** Every button of the configuration tool, in a 1280-pixel window, against the running daemons. */
    @Test
    @Order(9)
    void theConfigurationToolEveryButton() throws Exception {
        try (GuiSession gui = GuiSession.open(tmp.resolve("chromium"), "http://127.0.0.1:" + demo.guiPort, demo.password())) {
            // CONTROL/MONITORING: health, not configuration; no field the daemons should fill is empty
            gui.control();
            assertThat(gui.text("pulse-state")).matches("primary director, active since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\S+"
                    + " \\(pid " + pulseStatus().getLong("pid") + "\\); no partner configured");
            assertThat(gui.text("lvsd-state")).matches("ready since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\S+ \\(pid "
                    + pulseStatus().getLong("lvsdPid") + ", backend userspace, serial_no 1\\)");
            List<List<String>> rows = gui.cells("#ipvs tbody tr:not(.service)");
            assertThat(rows).hasSize(2).allSatisfy(row -> assertThat(row).hasSize(10).allSatisfy(cell -> assertThat(cell)
                    .as("a cell of the routing table").isNotBlank()));
            assertThat(rows.get(0).get(2)).isEqualTo("up");
            assertThat(rows.get(0).get(7)).as("age and the check that ran").matches("\\d+ s ago \\S+");
            List<List<String>> procs = gui.cells("#processes tbody tr");
            assertThat(procs).allSatisfy(row -> assertThat(row).hasSize(5).allSatisfy(cell -> assertThat(cell).isNotBlank()));
            Set<String> names = new TreeSet<>();
            procs.forEach(row -> names.add(row.get(0)));
            assertThat(names).as("this appliance's processes, by their short names").containsExactly("lvsd", "piranha-gui", "pulse");
            assertThat(procs).anySatisfy(row -> assertThat(row).startsWith("pulse", Long.toString(pulseStatus().getLong("pid"))));
            gui.assertFitsTheWindow();

            // VIRTUAL SERVERS and REAL SERVER: lvsd's health
            gui.go("/virtuals");
            assertThat(gui.cells("#virtuals tbody tr")).singleElement().satisfies(row -> {
                assertThat(row).allSatisfy(cell -> assertThat(cell).isNotBlank());
                assertThat(row.get(0)).isEqualTo("up");
                assertThat(row.get(8)).isEqualTo("2 up / 2");
            });
            gui.click("edit-0");
            gui.select("scheduler", "lc");
            gui.accept();
            gui.click("tab-real");
            assertThat(gui.cells("#servers tbody tr")).hasSize(2).allSatisfy(row -> {
                assertThat(row).allSatisfy(cell -> assertThat(cell).isNotBlank());
                assertThat(row.get(0)).isEqualTo("up");
            });
            for (String page : List.of("/virtual/0/scripts", "/virtual/0/server/1", "/global", "/redundancy")) {
                gui.go(page);
                assertThat(gui.driver.findElements(org.openqa.selenium.By.cssSelector("p.error"))).as(page).isEmpty();
                gui.assertFitsTheWindow();
            }

            // APPLY: pulse re-reads lvs.cf and has lvsd reload it; the page says what each did
            gui.click("nav-apply");
            assertThat(gui.text("diff")).contains("+      scheduler = lc");
            gui.click("apply");
            assertThat(gui.text("flash")).isEqualTo("Applied.");
            assertThat(gui.text("result-pulse")).startsWith("pulse: reloaded; nothing pulse uses changed");
            assertThat(gui.text("result-lvsd")).startsWith("lvsd: reloaded; 1 change:").contains("changed virtual service demo_web");
            assertThat(gui.driver.findElements(org.openqa.selenium.By.cssSelector(".result.failed"))).isEmpty();
            assertThat(service(json()).getString("scheduler")).isEqualTo("lc");
            assertThat(pulseStatus().getJsonArray("transitions")).hasSize(1);

            // the operator's buttons on a real server, each seen in lvsd and in the traffic
            gui.serverAction(rs2, "drain");
            assertThat(gui.text("flash")).startsWith("drain " + rs2 + " in demo_web: done. Changed:")
                    .contains("override: auto \u2192 drain", "weight in the table: 1 \u2192 0");
            assertThat(server(rs2).getString("override")).isEqualTo("drain");
            assertThat(vip.get(4)).containsOnly("demo_rs1");
            gui.serverAction(rs2, "auto"); // drain and the forced states are separate: auto ends both
            assertThat(gui.text("flash")).startsWith("auto " + rs2 + " in demo_web: done. Changed:").contains("override: drain \u2192 auto");
            assertThat(server(rs2).getString("override")).isEqualTo("auto");
            Eventually.within(Duration.ofSeconds(10), () -> assertThat(vip.get(6)).contains("demo_rs1", "demo_rs2"));
            gui.serverAction(rs2, "force-down");
            Eventually.within(Duration.ofSeconds(10), () -> assertThat(server(rs2).getString("health")).isEqualTo("down"));
            assertThat(vip.get(4)).containsOnly("demo_rs1");
            gui.serverAction(rs2, "force-up");
            Eventually.within(Duration.ofSeconds(10), () -> assertThat(server(rs2).getString("override")).isEqualTo("up"));
            Eventually.within(Duration.ofSeconds(10), () -> assertThat(vip.get(6)).contains("demo_rs1", "demo_rs2"));
            gui.serverAction(rs2, "auto");
            assertThat(gui.text("flash")).startsWith("auto " + rs2 + " in demo_web: done. Changed:").contains("override: up \u2192 auto");
            assertThat(server(rs2).getString("override")).isEqualTo("auto");

            gui.logout();
            gui.go("/control");
            assertThat(gui.driver.getCurrentUrl()).endsWith("/login");
        }
    }

    @Test
    @Order(10)
    void aStoppedRealServerLeavesTheTable() throws Exception {
        Command.Result kill = Command.shell(demo.hintCommands().get(6), env, CLI);
        assertThat(kill.status()).as(kill.toString()).isZero();
        Eventually.within(Duration.ofSeconds(30), () -> {
            JsonObject s = server(rs2);
            assertThat(s.getString("health")).isEqualTo("down");
            assertThat(s.getBoolean("in_table")).isFalse();
        });
        assertThat(vip.get(4)).containsOnly("demo_rs1");
        assertThat(hint(1).out()).containsPattern("-> 127\\.0\\.0\\.1:" + demo.rs2Port + " .* down ");
    }

    /** Piranha's §3.5: a lone director whose lvsd died stayed down until pulse was restarted. */
    @Test
    @Order(11)
    void anLvsdThatDiesIsStartedAgainByPulse() throws Exception {
        long lvsd = pulseStatus().getLong("lvsdPid");
        ProcessHandle.of(lvsd).orElseThrow().destroyForcibly();
        Eventually.within(Duration.ofSeconds(90), () -> {
            JsonObject p = pulseStatus();
            assertThat(p.getLong("lvsdRestarts")).isEqualTo(1);
            assertThat(p.getLong("lvsdPid")).isNotIn(0L, lvsd);
            assertThat(p.getString("state")).isEqualTo("active");
            assertThat(p.getJsonArray("inhibit")).isEmpty();
            assertThat(lvsdStatus().getBoolean("ready")).isTrue();
        });
        Eventually.within(Duration.ofSeconds(30), () -> assertThat(vip.get(2)).containsOnly("demo_rs1"));
        assertThat(hint(1).out()).contains(", lvsd restarted 1 time\n");
        assertThat(Files.readString(demo.dir.resolve("pulse.log")))
                .contains("Child process " + lvsd + " exited due to signal 9", "restarting lvsd in 1.0 s (restart 1)");
    }

    /**
     * HAProxy loses MAINT/DRAIN on a reload: here a drain survives a SIGHUP of pulse and a kill -9 of
     * lvsd (pulse starts it again, it restores the intent from lvsd.state).
     */
    @Test
    @Order(12)
    void aDrainSurvivesSighupAndAKill9OfLvsd() throws Exception {
        String rs1 = "127.0.0.1:" + demo.rs1Port;
        Command.Result drain = lvsadm("--reason", "kernel update", "drain", "demo_web", rs1);
        assertThat(drain.status()).as(drain.toString()).isZero();
        JsonObject p = pulseStatus();
        long restarts = p.getLong("lvsdRestarts");
        long lvsd = p.getLong("lvsdPid");
        // SIGHUP to pulse: pulse and lvsd reload lvs.cf; the drain stays
        assertThat(Command.run(List.of("kill", "-HUP", Long.toString(p.getLong("pid"))), env, CLI).status()).isZero();
        Eventually.within(Duration.ofSeconds(30), () -> assertThat(Files.readString(demo.dir.resolve("pulse.log")))
                .contains("configuration reloaded"));
        assertThat(server(rs1).getString("override")).isEqualTo("drain");
        ProcessHandle.of(lvsd).orElseThrow().destroyForcibly();
        Eventually.within(Duration.ofSeconds(90), () -> {
            JsonObject after = pulseStatus();
            assertThat(after.getLong("lvsdRestarts")).isEqualTo(restarts + 1);
            assertThat(after.getLong("lvsdPid")).isNotIn(0L, lvsd);
            assertThat(lvsdStatus().getBoolean("ready")).isTrue();
            JsonObject s = server(rs1);
            assertThat(s.getString("override")).isEqualTo("drain");
            assertThat(s.getInteger("weight")).isZero();
            assertThat(s.getJsonObject("intent").getString("reason")).isEqualTo("kernel update");
        });
        assertThat(lvsadm("auto", "demo_web", rs1).status()).isZero();
        assertThat(server(rs1).getString("override")).isEqualTo("auto");
    }

    @Test
    @Order(13)
    void sigtermToTheDemoStopsEverythingWithinFiveSeconds() throws Exception {
        List<ProcessHandle> all = demo.tree();
        assertThat(all).hasSizeGreaterThanOrEqualTo(5); // the demo, two real servers, pulse, lvsd, the GUI
        long t0 = System.nanoTime();
        demo.process.destroy(); // SIGTERM to its pid
        for (ProcessHandle p : all) {
            p.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("bin/demo and its %d processes gone %.1f s after SIGTERM (load %s)%n", all.size() - 1, seconds,
                CpuMeter.loadAverage());
        assertThat(seconds).isLessThan(5.0);
        try (var left = Files.list(demo.dir)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .doesNotContain("pulse.sock", "lvsd.sock", "piranha.passwd", "env");
        }
        if (RequiredTools.strict() || "root".equals(System.getProperty("user.name"))) {
            assertThat(Command.run(List.of("ip", "-4", "addr", "show", "dev", "lo"), Map.of(), CLI).out())
                    .doesNotContain(" " + demo.vip + "/");
        }
        Command.Result after = Command.run(List.of(Checkout.bin("lvsadm").toString()), env, CLI);
        assertThat(after.out()).as("no demo to find: the daemons' defaults").contains("pulse is not running")
                .doesNotContain(demo.dir.toString());
    }

    // ------------------------------------------------------------------ helpers

    /** The i-th hint of the banner, run as printed. */
    Command.Result hint(int i) throws Exception {
        return Command.shell(demo.hintCommands().get(i), env, CLI);
    }

    /** Plain bin/lvsadm (it finds the demo through PIRANHA_DEMO_DIR's record) with these arguments. */
    Command.Result lvsadm(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(Checkout.bin("lvsadm").toString()));
        argv.addAll(List.of(args));
        return Command.run(argv, env, CLI);
    }

    JsonObject json() throws Exception {
        Command.Result r = lvsadm("--json");
        assertThat(r.status()).as(r.toString()).isZero();
        return new JsonObject(r.out());
    }

    static JsonObject service(JsonObject json) {
        return json.getJsonObject("lvsd").getJsonArray("services").getJsonObject(0);
    }

    /** One real server in lvsd's status, asked on its control socket (faster than a JVM per poll). */
    JsonObject server(String endpoint) throws IOException {
        for (Object o : servers()) {
            JsonObject s = (JsonObject) o;
            if ((s.getString("address") + ":" + s.getInteger("port")).equals(endpoint)) {
                return s;
            }
        }
        throw new AssertionError("no real server " + endpoint);
    }

    List<JsonObject> servers() throws IOException {
        JsonArray a = lvsdStatus().getJsonArray("services").getJsonObject(0).getJsonArray("servers");
        List<JsonObject> out = new ArrayList<>();
        a.forEach(o -> out.add((JsonObject) o));
        return out;
    }

    JsonObject pulseStatus() throws IOException {
        return ControlClient.call(demo.dir.resolve("pulse.sock"), new JsonObject().put("cmd", "status"), Duration.ofSeconds(10));
    }

    JsonObject lvsdStatus() throws IOException {
        return ControlClient.call(demo.dir.resolve("lvsd.sock"), new JsonObject().put("cmd", "status"), Duration.ofSeconds(10));
    }

    long guiPid() {
        return demo.process.children().filter(p -> p.info().commandLine().orElse("").contains("piranha.gui.GuiMain"))
                .findFirst().orElseThrow().pid();
    }

    static int lineOf(String text, String needle) {
        return text.substring(0, text.indexOf(needle)).split("\n", -1).length;
    }

    static String percent(Map<String, Double> shares) {
        StringBuilder sb = new StringBuilder();
        shares.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ')
                .append(String.format(java.util.Locale.ROOT, "%.2f %%", v * 100)));
        return sb.toString();
    }
}
