package piranha.pulse;

import static org.assertj.core.api.Assertions.assertThat;
import static piranha.pulse.PulseJvm.waitFor;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import piranha.daemon.RealtimeScheduling;
import piranha.pulse.heartbeat.PiranhaCodec;
import piranha.pulse.state.PeerState;

/**
 * One CPU of two stopped while the other runs on, as a host stops one CPU of its guest for one of its
 * slices: the test holds pulse's heartbeat thread on one CPU (nothing inside a guest can leave a CPU
 * its host stopped) and stops that CPU with a SCHED_FIFO 99 busy loop. A real pulse on two CPUs
 * (standby on 127.0.0.1, keepalive 0.05 s, deadtime 0.3 s) and its partner played here (127.0.0.2),
 * the partner's threads on the understudy's CPU, listening to pulse's heartbeats as they arrive. The
 * understudy sends what the heartbeat thread signed ahead: no silence as long as the deadtime, for
 * a stop up to the deadtime's worth of rounds; past that, silence, as a stuck director must be. And
 * a CPU taken inside the guest (the thread not held there) is simply left by the heartbeat thread.
 */
class StoppedCpuTest {
    static final long KEEPALIVE_MS = 50;
    static final long DEADTIME_MS = 300;

    @TempDir
    Path dir;
    Process pulse;
    Path log;
    DatagramSocket partner;
    int port;
    /** pulse's heartbeats: arrival times on the monotonic clock, ns. */
    final List<Long> arrivals = new ArrayList<>();
    volatile boolean listening = true;
    Thread listener;
    Thread beat;
    int[] cpus;
    int heartbeatCpu;
    int otherCpu;

    @BeforeEach
    void startPulseAndPartner() throws Exception {
        cpus = RealtimeScheduling.allowedCpus();
        assertThat(cpus.length).as("the test stops one CPU of two or more").isGreaterThanOrEqualTo(2);
        partner = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
        port = partner.getLocalPort();
        log = dir.resolve("pulse.log");
        pulse = PulseJvm.startStandby(List.of("taskset", "-c", cpus[0] + "," + cpus[1]), dir, port, "0.05", "0.3");

        byte[] running = new PiranhaCodec().encode(PeerState.RUNNING).array();
        InetSocketAddress to = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port);
        partner.setSoTimeout(100);
        beat = partnerThread("partner-beat", () -> {
            for (int i = 0; i < 1200 && listening; i++) {
                partner.send(new DatagramPacket(running, running.length, to));
                Thread.sleep(KEEPALIVE_MS);
            }
        });
        listener = partnerThread("partner-listen", () -> {
            byte[] buf = new byte[512];
            for (int i = 0; i < 100_000 && listening; i++) {
                try {
                    partner.receive(new DatagramPacket(buf, buf.length));
                    long at = System.nanoTime();
                    synchronized (arrivals) {
                        arrivals.add(at);
                    }
                } catch (SocketTimeoutException e) {
                    // listening is asked again
                }
            }
        });
        assertThat(waitFor(Duration.ofSeconds(60), () -> "running".equals(field("partner")))).as(logText()).isTrue();
        assertThat(field("state")).isEqualTo("standby");
        otherCpu = status().getInteger("understudyCpu");
        heartbeatCpu = otherCpu == cpus[0] ? cpus[1] : cpus[0];
        for (int tid : partnerTids) assertThat(RealtimeScheduling.setAffinity(tid, otherCpu)).isNull();
    }

    /** What the host does to a vCPU's threads: the heartbeat thread cannot leave heartbeatCpu. */
    void holdHeartbeatThreadOnItsCpu() throws Exception {
        assertThat(RealtimeScheduling.setAffinity(heartbeatTid(), heartbeatCpu)).isNull();
        Thread.sleep(300);
        assertThat(status().getInteger("understudyCpu")).as("the understudy stays away").isEqualTo(otherCpu);
    }

    @AfterEach
    void stop() throws Exception {
        listening = false;
        if (pulse != null && pulse.isAlive()) {
            pulse.destroy();
            if (!pulse.waitFor(20, TimeUnit.SECONDS)) pulse.destroyForcibly();
        }
        for (Thread t : new Thread[] {beat, listener}) if (t != null) t.join(5000);
        if (partner != null) partner.close();
    }

    @Test
    void theUnderstudySendsWhileTheHeartbeatThreadsCpuIsStopped() throws Exception {
        holdHeartbeatThreadOnItsCpu();
        long longest = longestSilenceMsWhileStopped(heartbeatCpu, 400);

        assertThat(longest).as("longest silence between two heartbeats; " + logText()).isLessThan(DEADTIME_MS);
        JsonObject s = status();
        assertThat(s.getLong("understudySent")).isGreaterThanOrEqualTo(3);
        assertThat(s.getString("state")).isEqualTo("standby");
        assertThat(logText()).contains("heartbeat sent by the understudy on CPU " + otherCpu);
    }

    @Test
    void aHeartbeatThreadStoppedLongerThanTheUnderstudyCoversGoesSilent() throws Exception {
        holdHeartbeatThreadOnItsCpu();
        long longest = longestSilenceMsWhileStopped(heartbeatCpu, 1200);

        // covered for deadtime's worth of rounds (to ~325 ms after the last send), then silent until the CPU runs again
        assertThat(longest).as(logText()).isGreaterThan(600);
        long before = status().getLong("understudySent");
        Thread.sleep(1000);
        assertThat(status().getLong("understudySent")).as("nothing to cover once the thread runs again").isEqualTo(before);
        assertThat(arrivalsSince(System.nanoTime() - 500_000_000L)).isGreaterThanOrEqualTo(5);
    }

    @Test
    void aCpuTakenInsideTheGuestIsLeftByTheHeartbeatThread() throws Exception {
        // not held: a busy real-time thread (or a spent real-time budget) of its CPU, which the
        // scheduler lets it leave; pulse does not keep it to a CPU. The heartbeat thread may have woken
        // on the understudy's CPU since the start (it then moves the understudy): the partner, which
        // must hear it throughout, goes to the CPU that stays free.
        int taken = heartbeatThreadCpu();
        int free = taken == cpus[0] ? cpus[1] : cpus[0];
        for (int tid : partnerTids) assertThat(RealtimeScheduling.setAffinity(tid, free)).isNull();
        long longest = longestSilenceMsWhileStopped(taken, 1200);

        assertThat(longest).as("longest silence between two heartbeats; " + logText()).isLessThan(2 * KEEPALIVE_MS);
    }

    /** Stops cpu for ms (a SCHED_FIFO 99 busy loop); the longest gap between heartbeats heard around it. */
    long longestSilenceMsWhileStopped(int cpu, long ms) throws Exception {
        long from = System.nanoTime();
        Process hog = new ProcessBuilder("python3", "-c", String.join("\n",
                "import os, sys, time",
                "os.sched_setaffinity(0, {" + cpu + "})",
                "os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(99))",
                "print('stopping', flush=True)",
                "end = time.monotonic() + " + ms / 1000.0,
                "while time.monotonic() < end: pass"))
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(hog.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("stopping");
            assertThat(hog.waitFor(ms + 10_000, TimeUnit.MILLISECONDS)).isTrue();
        } finally {
            hog.destroyForcibly();
        }
        assertThat(hog.exitValue()).isZero();
        Thread.sleep(2 * DEADTIME_MS);
        long to = System.nanoTime();
        long longest = 0;
        synchronized (arrivals) {
            long prev = -1;
            for (long at : arrivals) {
                if (at < from || at > to) continue;
                if (prev >= 0) longest = Math.max(longest, at - prev);
                prev = at;
            }
        }
        return longest / 1_000_000;
    }

    interface Body {
        void run() throws Exception;
    }

    /** The partner's threads, by kernel id: moved to the understudy's CPU once pulse says which. */
    final List<Integer> partnerTids = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A partner thread at a real-time priority above pulse's (its CPU is set once pulse runs). */
    Thread partnerThread(String name, Body body) {
        java.util.concurrent.CountDownLatch known = new java.util.concurrent.CountDownLatch(1);
        Thread t = new Thread(() -> {
            RealtimeScheduling.applyToCurrentThread(10);
            partnerTids.add(RealtimeScheduling.currentTid());
            known.countDown();
            try {
                body.run();
            } catch (Exception e) {
                // the test ends it
            }
        }, name);
        t.setDaemon(true);
        t.start();
        try {
            assertThat(known.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return t;
    }

    int arrivalsSince(long nanos) {
        synchronized (arrivals) {
            return (int) arrivals.stream().filter(at -> at >= nanos).count();
        }
    }

    /** pulse's heartbeat thread's kernel id, from /proc. */
    int heartbeatTid() throws IOException {
        Path tasks = Path.of("/proc", Long.toString(pulse.pid()), "task");
        try (Stream<Path> all = Files.list(tasks)) {
            for (Path t : (Iterable<Path>) all::iterator) {
                if ("heartbeat".equals(Files.readString(t.resolve("comm")).strip())) {
                    return Integer.parseInt(t.getFileName().toString());
                }
            }
        }
        throw new AssertionError("no heartbeat thread in " + tasks);
    }

    /** The CPU the heartbeat thread last ran on (field 39 of its stat). */
    int heartbeatThreadCpu() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pulse.pid()), "task",
                Integer.toString(heartbeatTid()), "stat"));
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(after[39 - 3]);
    }

    String field(String name) {
        return PulseJvm.field(dir.resolve("pulse.sock"), name);
    }

    JsonObject status() {
        return PulseJvm.status(dir.resolve("pulse.sock"));
    }

    String logText() {
        return PulseJvm.text(log);
    }
}
