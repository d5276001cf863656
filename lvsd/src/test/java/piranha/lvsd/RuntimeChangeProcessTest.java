package piranha.lvsd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.json.JsonObject;
import piranha.daemon.ControlClient;
import piranha.lvsd.testing.Eventually;
import piranha.lvsd.testing.RealServers;
import piranha.lvsd.testing.WebServiceCf;

/**
 * {@code lvsadm add-server / set-weight / remove-server} as processes against a real lvsd (user-space
 * table on loopback): lvs.cf is changed, validated and written with serial_no bumped, lvsd applies
 * it through its reload (a nanny started, a weight changed, a removed server drained), and a change
 * lvs.cf would not accept is refused with its reason and writes nothing.
 */
class RuntimeChangeProcessTest {
    @TempDir
    Path dir;
    RealServers servers;
    RealServers.Server rs1;
    RealServers.Server rs2;
    Process lvsd;
    Path cf;
    Path sock;

    @BeforeEach
    void setUp() throws Exception {
        servers = new RealServers();
        rs1 = servers.start("rs1");
        rs2 = servers.start("rs2");
        cf = dir.resolve("lvs.cf");
        sock = dir.resolve("lvsd.sock");
        // notify_reload: lvsd's reload events, one JSON line each on the program's stdin
        Path notify = dir.resolve("on-reload");
        Files.writeString(notify, "#!/bin/sh\ncat >> " + dir.resolve("reloads") + "\n");
        Files.setPosixFilePermissions(notify, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Files.writeString(cf, WebServiceCf.text("serial_no = 1\nprimary = 127.0.0.1\nbackend = userspace\nnotify_reload = "
                + notify + "\n",
                "127.0.0.100 lo:100", RealServers.freePort(), "rr", "", WebServiceCf.Server.of("rs1", rs1.port())));
        lvsd = java("piranha.lvsd.LvsdMain", "-n", "-c", cf.toString(), "--control-socket", sock.toString(), "--metrics", "off")
                .redirectErrorStream(true).redirectOutput(dir.resolve("lvsd.out").toFile()).start();
        Eventually.within(Duration.ofSeconds(60), () -> assertThat(ControlClient.call(sock,
                new JsonObject().put("cmd", "wait-ready"), Duration.ofSeconds(30)).getBoolean("ready")).isTrue());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (lvsd != null) {
            lvsd.destroy();
            if (!lvsd.waitFor(20, TimeUnit.SECONDS)) {
                lvsd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        servers.close();
    }

    @Test
    void addSetWeightAndRemoveAreWrittenAndAppliedAndABadChangeIsRefused() throws Exception {
        Run add = lvsadm("add-server", "web", "rs2", rs2.endpoint(), "--weight", "3");
        assertThat(add.status).as(add.err).isZero();
        assertThat(add.out).contains("add-server web rs2: written to " + cf + " (serial_no 2)").contains("lvsd: reloaded; 1 change:", "added real server -t 127.0.0.100:");
        assertThat(Files.readString(cf)).contains("serial_no = 2").contains(" server rs2 {");
        Eventually.within(Duration.ofSeconds(30), () -> {
            JsonObject s = server("rs2");
            assertThat(s).as("rs2 in lvsd's status").isNotNull();
            assertThat(s.getBoolean("in_table")).isTrue();
            assertThat(s.getInteger("configured_weight")).isEqualTo(3);
            assertThat(s.getInteger("weight")).isBetween(1, 3); // slow start: it enters low and doubles
        });
        assertThat(status().getInteger("serial_no")).isEqualTo(2);

        Run weigh = lvsadm("set-weight", "web", "rs2", "5");
        assertThat(weigh.status).as(weigh.err).isZero();
        Eventually.within(Duration.ofSeconds(30), () -> {
            assertThat(server("rs2").getInteger("configured_weight")).isEqualTo(5);
            assertThat(server("rs2").getInteger("weight")).isBetween(1, 5);
        });

        // refused as lvs.cf would be: nothing written, nothing reloaded
        byte[] before = Files.readAllBytes(cf);
        Run bad = lvsadm("add-server", "web", "rs3", "127.0.0.1:no-such-port");
        assertThat(bad.status).isEqualTo(1);
        assertThat(bad.err).contains("refused").contains(cf + ":").contains("port");
        Run none = lvsadm("set-weight", "web", "rs9", "2");
        assertThat(none.status).isEqualTo(1);
        assertThat(none.err).contains("has no server rs9");
        Run twice = lvsadm("add-server", "web", "rs1", "127.0.0.1:1");
        assertThat(twice.err).contains("already has a server rs1");
        assertThat(Files.readAllBytes(cf)).isEqualTo(before);
        assertThat(status().getInteger("reloads")).isEqualTo(2);

        Run remove = lvsadm("remove-server", "web", "rs2");
        assertThat(remove.status).as(remove.err).isZero();
        assertThat(Files.readString(cf)).doesNotContain("rs2").contains("serial_no = 4");
        Eventually.within(Duration.ofSeconds(30), () -> {
            assertThat(server("rs2")).isNull();
            assertThat(output()).contains("real server -t 127.0.0.100:").contains(rs2.endpoint() + " removed from lvs.cf: weight 0");
        });

        // each change is one applied reload in lvsd's event stream, with the serial it brought
        JsonObject events = ControlClient.call(sock, new JsonObject().put("cmd", "events"), Duration.ofSeconds(10));
        assertThat(events.getJsonArray("events").stream().map(JsonObject.class::cast)
                .filter(e -> e.getString("kind").equals("reload")).map(e -> e.getInteger("serial_no")).toList())
                .containsExactly(2, 3, 4);
        Eventually.within(Duration.ofSeconds(30), () -> assertThat(Files.readAllLines(dir.resolve("reloads")).stream()
                .map(l -> new JsonObject(l).getInteger("serial_no")).toList()).containsExactly(2, 3, 4));
    }

    private JsonObject status() throws Exception {
        return ControlClient.call(sock, new JsonObject().put("cmd", "status"), Duration.ofSeconds(10));
    }

    private JsonObject server(String name) throws Exception {
        for (Object s : status().getJsonArray("services").getJsonObject(0).getJsonArray("servers")) {
            if (((JsonObject) s).getString("name").equals(name)) {
                return (JsonObject) s;
            }
        }
        return null;
    }

    private String output() throws Exception {
        return Files.readString(dir.resolve("lvsd.out"));
    }

    private record Run(int status, String out, String err) {}

    /** bin/lvsadm's program as its own process; no pulse runs, so lvsd is asked to reload directly. */
    private Run lvsadm(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--lvsd-socket", sock.toString(), "--pulse-socket", dir.resolve("pulse.sock").toString()));
        Process p = java("piranha.lvsd.admin.LvsadmMain", all.toArray(String[]::new))
                .redirectError(dir.resolve("lvsadm.err").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, Files.readString(dir.resolve("lvsadm.err")));
    }

    private static ProcessBuilder java(String main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }
}
