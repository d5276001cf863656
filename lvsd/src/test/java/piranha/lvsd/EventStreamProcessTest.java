package piranha.lvsd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
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
 * The event stream across processes: a real lvsd (user-space table on loopback) and {@code lvsadm
 * events} as processes of their own. 1,000 operator transitions in quick succession reach a
 * follower complete and in order; a follower stopped half-way and started again with {@code --since}
 * misses nothing.
 */
class EventStreamProcessTest {
    private static final int TRANSITIONS = 1000;
    @TempDir
    Path dir;
    RealServers servers;
    RealServers.Server rs1;
    Process lvsd;
    final List<Process> followers = new ArrayList<>();
    Path sock;

    @BeforeEach
    void setUp() throws Exception {
        servers = new RealServers();
        rs1 = servers.start("rs1");
        sock = dir.resolve("lvsd.sock");
        Files.writeString(dir.resolve("lvs.cf"), WebServiceCf.text("serial_no = 1\nprimary = 127.0.0.1\nbackend = userspace\n",
                "127.0.0.100 lo:100", RealServers.freePort(), "rr", "", WebServiceCf.Server.of("rs1", rs1.port())));
        lvsd = java("piranha.lvsd.LvsdMain", "-n", "-c", dir.resolve("lvs.cf").toString(), "--control-socket", sock.toString(),
                "--metrics", "off").redirectErrorStream(true).redirectOutput(dir.resolve("lvsd.out").toFile()).start();
        Eventually.within(Duration.ofSeconds(60), () -> assertThat(ControlClient.call(sock,
                new JsonObject().put("cmd", "wait-ready"), Duration.ofSeconds(30)).getBoolean("ready")).isTrue());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : followers) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (lvsd != null) {
            lvsd.destroy();
            if (!lvsd.waitFor(20, TimeUnit.SECONDS)) {
                lvsd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        servers.close();
    }

    @Test
    void aThousandTransitionsArriveCompleteAndInOrderAndSinceResumesWithoutLoss() throws Exception {
        BlockingQueue<JsonObject> whole = follow(null);
        BlockingQueue<JsonObject> first = follow(null);
        Process firstProcess = followers.get(1);
        // both followers are connected once they have printed what happened before (rs1 came up)
        List<JsonObject> seenWhole = take(whole, e -> "real_server".equals(e.getString("kind")), 1);
        List<JsonObject> seenFirst = take(first, e -> "real_server".equals(e.getString("kind")), 1);

        transitions(0, TRANSITIONS / 2);
        seenFirst.addAll(take(first, EventStreamProcessTest::operator, TRANSITIONS / 2));
        firstProcess.destroy(); // the operator's terminal closes half-way
        firstProcess.waitFor(10, TimeUnit.SECONDS);
        long resumeAfter = seenFirst.get(seenFirst.size() - 1).getLong("seq");

        transitions(TRANSITIONS / 2, TRANSITIONS);
        BlockingQueue<JsonObject> resumed = follow(Long.toString(resumeAfter));
        seenFirst.addAll(take(resumed, EventStreamProcessTest::operator, TRANSITIONS / 2));
        seenWhole.addAll(take(whole, EventStreamProcessTest::operator, TRANSITIONS));

        for (List<JsonObject> seen : List.of(seenWhole, seenFirst)) {
            List<JsonObject> ops = seen.stream().filter(EventStreamProcessTest::operator).toList();
            assertThat(ops).hasSize(TRANSITIONS);
            for (int i = 0; i < TRANSITIONS; i++) {
                assertThat(ops.get(i).getString("action")).as("transition %d", i).isEqualTo(i % 2 == 0 ? "drain" : "auto");
                assertThat(ops.get(i).getString("reason")).isEqualTo("step " + i);
            }
            // every number once, none skipped: seq 1 up to the last, each with its time and source
            for (int i = 0; i < seen.size(); i++) {
                assertThat(seen.get(i).getLong("seq")).isEqualTo(i + 1L);
                assertThat(seen.get(i).getString("source")).isEqualTo("lvsd");
                assertThat(seen.get(i).getString("time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
            }
        }

        // the plain listing has them too, in the same order
        Process list = java("piranha.lvsd.admin.LvsadmMain", "events", "--json", "--source", "lvsd", "--lvsd-socket",
                sock.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(list.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(list.exitValue()).isZero();
        assertThat(lines).hasSize(seenWhole.size());
        assertThat(new JsonObject(lines.get(lines.size() - 1)).getLong("seq")).isEqualTo(seenWhole.size());
    }

    /** Drain and auto in turn on rs1, each answered before the next is sent. */
    private void transitions(int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            JsonObject r = ControlClient.call(sock, new JsonObject().put("cmd", i % 2 == 0 ? "drain" : "auto")
                    .put("service", "web").put("server", rs1.endpoint()).put("reason", "step " + i), Duration.ofSeconds(30));
            assertThat(r.getBoolean("ok")).as(r.encode()).isTrue();
        }
    }

    private static boolean operator(JsonObject e) {
        return "operator".equals(e.getString("kind"));
    }

    /** Starts {@code lvsadm events --follow --json} (with --since) and hands each line it prints over. */
    private BlockingQueue<JsonObject> follow(String since) throws Exception {
        List<String> args = new ArrayList<>(List.of("events", "--follow", "--json", "--source", "lvsd", "--lvsd-socket", sock.toString()));
        if (since != null) {
            args.addAll(List.of("--since", since));
        }
        Process p = java("piranha.lvsd.admin.LvsadmMain", args.toArray(String[]::new))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        followers.add(p);
        BlockingQueue<JsonObject> lines = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(new JsonObject(line));
                }
            } catch (Exception e) {
                // the follower was stopped
            }
        });
        t.setDaemon(true);
        t.start();
        return lines;
    }

    /** Every line up to and including the {@code count}-th that matches, within a minute. */
    private static List<JsonObject> take(BlockingQueue<JsonObject> lines, java.util.function.Predicate<JsonObject> matching,
            int count) throws InterruptedException {
        List<JsonObject> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int matched = 0;
        while (matched < count) {
            JsonObject e = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(e).as("%d of %d events arrived within a minute", matched, count).isNotNull();
            out.add(e);
            if (matching.test(e)) {
                matched++;
            }
        }
        return out;
    }

    private static ProcessBuilder java(String main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }
}
