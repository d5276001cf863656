package piranha.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import piranha.daemon.testing.RequiredTools;

/**
 * service = fos end to end: two real pulse processes in network namespaces, each director with a real
 * nginx that its pulse starts with start_cmd (own prefix and configuration in a temporary directory,
 * a page naming the director). A client asks the VIP every 50 ms. nginx killed on the active director:
 * the client gets the backup's page within deadtime + timeout + 0.5 s, stop_cmd ran on the old active,
 * and the old active does not take the VIP back while its nginx is down.
 */
class FosEndToEndTest {
    static final double DEADTIME = 0.6;
    static final int TIMEOUT = 1;
    static Lab lab;
    @TempDir
    static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        RequiredTools.root("network namespaces, addresses, raw sockets");
        RequiredTools.program("iproute2", "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip");
        RequiredTools.program("nginx", "/usr/sbin/nginx");
        lab = new Lab("fos");
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) lab.close(); // also kills the nginx processes left in the namespaces
    }

    /** An nginx prefix for one director: its configuration, pid file and logs. */
    static Path nginx(String director) throws IOException {
        Path p = dir.resolve("nginx-" + director);
        Files.createDirectories(p.resolve("logs"));
        Files.writeString(p.resolve("nginx.conf"), String.join("\n",
                "daemon off;",
                "worker_processes 1;",
                "pid " + p.resolve("nginx.pid") + ";",
                "error_log " + p.resolve("logs/error.log") + ";",
                "events { worker_connections 64; }",
                "http {",
                "  access_log off;",
                "  client_body_temp_path " + p.resolve("body") + ";",
                "  proxy_temp_path " + p.resolve("proxy") + ";",
                "  fastcgi_temp_path " + p.resolve("fastcgi") + ";",
                "  uwsgi_temp_path " + p.resolve("uwsgi") + ";",
                "  scgi_temp_path " + p.resolve("scgi") + ";",
                "  server {",
                "    listen " + Lab.VIP + ":80;",
                "    location / { return 200 \"director " + director + "\\n\"; }",
                "  }",
                "}", ""));
        return p;
    }

    static Path config(String director, Path prefix) throws IOException {
        Path cf = dir.resolve(director + ".lvs.cf");
        Files.writeString(cf, String.join("\n",
                "serial_no = 1",
                "primary = " + Lab.D1_IP,
                "service = fos",
                "backup_active = 1",
                "backup = " + Lab.D2_IP,
                "heartbeat_port = 539",
                "keepalive = 0.2",
                "deadtime = " + DEADTIME,
                "garp_count = 3",
                "garp_interval = 0.3",
                "failover web {",
                "     active = 1",
                "     address = " + Lab.VIP + " lan0:1",
                "     vip_nmask = 255.255.255.0",
                "     port = 80",
                "     send = \"GET / HTTP/1.0\\r\\n\\r\\n\"",
                "     expect = \"HTTP\"",
                "     timeout = " + TIMEOUT,
                "     start_cmd = \"/usr/sbin/nginx -p " + prefix + "/ -c " + prefix.resolve("nginx.conf") + "\"",
                "     stop_cmd = \"/usr/bin/touch " + prefix.resolve("stop_cmd-ran") + "\"",
                "}", ""));
        return cf;
    }

    /** The page the client gets from the VIP, or "" (refused, timed out). Runs inside the client's namespace. */
    static String fetch() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(Lab.VIP, 80), 200);
            s.setSoTimeout(300);
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            int body = reply.indexOf("\r\n\r\n");
            return body < 0 ? "" : reply.substring(body + 4).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** Asks the VIP every 50 ms from the client until it serves want: ms taken, or -1 after limitMs. */
    static long clientUntil(String want, long limitMs) throws Exception {
        return Lab.inNamespace(lab.cli, () -> {
            long start = System.nanoTime();
            for (int i = 0; i < limitMs / 50 + 1; i++) {
                long t = System.nanoTime();
                if (fetch().equals(want)) return (t - start) / 1_000_000;
                long left = 50 - (System.nanoTime() - t) / 1_000_000;
                if (left > 0) Thread.sleep(left);
            }
            return -1L;
        });
    }

    /**
     * Stops what the test's nginx prefixes still run: a director whose partner's pulse is closed first
     * takes over and starts its nginx, which stop_cmd (a marker here) leaves running, still bound to the
     * VIP in that namespace for the next test.
     */
    static void stopNginx(Path... prefixes) throws InterruptedException {
        for (Path prefix : prefixes) {
            // by the prefix on the command line, not the pid file: a late start may not have written it yet
            String marker = "-p " + prefix + "/";
            ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                    .forEach(FosEndToEndTest::stop);
        }
        // and any nginx still in the lab's director namespaces (one whose command line could not be
        // read as it daemonized): the next test's nginx binds the same VIP there
        for (String ns : new String[] {lab.d1, lab.d2}) {
            for (String pid : Lab.shAnyQuiet("ip", "netns", "pids", ns).split("\\s+")) {
                if (!pid.matches("[0-9]+")) continue;
                ProcessHandle.of(Long.parseLong(pid))
                        .filter(p -> p.info().command().map(c -> c.endsWith("/nginx")).orElse(false))
                        .ifPresent(FosEndToEndTest::stop);
            }
        }
    }

    private static void stop(ProcessHandle master) {
        master.descendants().forEach(ProcessHandle::destroyForcibly);
        master.destroyForcibly();
        master.onExit().orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null).join();
    }

    static long nginxMaster(Path prefix) throws IOException {
        return Long.parseLong(Files.readString(prefix.resolve("nginx.pid")).trim());
    }

    static boolean waitFor(long ms, BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + ms * 1_000_000;
        while (System.nanoTime() < end) {
            if (cond.getAsBoolean()) return true;
            Thread.sleep(20);
        }
        return cond.getAsBoolean();
    }

    @Test
    void killedNginxMovesTheVipToTheBackupAndItStaysThere() throws Exception {
        Path n1 = nginx("d1");
        Path n2 = nginx("d2");
        try {
            killedNginxMovesTheVipToTheBackup(n1, n2);
        } finally {
            stopNginx(n1, n2);
        }
    }

    private void killedNginxMovesTheVipToTheBackup(Path n1, Path n2) throws Exception {
        // the primary first: a backup started with it may declare it dead before its JVM sends a heartbeat
        try (PulseProcess p1 = new PulseProcess(lab.d1, dir, "fos-d1", config("d1", n1), Path.of("/bin/false"));
             PulseProcess p2 = startAfter(p1, "director d1",
                     () -> new PulseProcess(lab.d2, dir, "fos-d2", config("d2", n2), Path.of("/bin/false")))) {
            assertThat(Files.exists(n2.resolve("nginx.pid"))).isFalse(); // the standby runs no nginx
            assertThat(p2.logged("STARTING PULSE AS BACKUP", 15_000)).as(p2.logText()).isTrue();
            assertThat(p2.logged("starting FOS client monitor for " + Lab.VIP + ":80", 15_000)).as(p2.logText()).isTrue();
            assertThat(waitFor(10_000, () -> {
                var s = p2.status();
                return s != null && "standby".equals(s.getString("state")) && "running".equals(s.getString("partner"));
            })).as(p2.logText()).isTrue();

            // kill nginx (master and worker) on the active director
            ProcessHandle master = ProcessHandle.of(nginxMaster(n1)).orElseThrow();
            master.descendants().forEach(ProcessHandle::destroyForcibly);
            master.destroyForcibly();
            long switched = clientUntil("director d2", 10_000);
            System.out.println("fos e2e: client got the backup's page " + switched + " ms after nginx was killed");
            assertThat(switched).as(p1.logText() + "\n----\n" + p2.logText()).isGreaterThanOrEqualTo(0)
                    .isLessThanOrEqualTo((long) ((DEADTIME + TIMEOUT + 0.5) * 1000));
            assertThat(p1.logged("failover service failed: deactivating lvs", 5_000)).as(p1.logText()).isTrue();
            assertThat(waitFor(5_000, () -> Files.exists(n1.resolve("stop_cmd-ran")))).as(p1.logText()).isTrue();
            assertThat(p2.logText()).contains("failover web: running start_cmd /usr/sbin/nginx");

            // the old active keeps off the VIP while its nginx is down
            Thread.sleep(3_000);
            assertThat(lab.hasVip(lab.d1)).isFalse();
            assertThat(lab.hasVip(lab.d2)).isTrue();
            assertThat(p1.active()).isFalse();
            assertThat(p2.active()).isTrue();
            assertThat(clientUntil("director d2", 1_000)).isGreaterThanOrEqualTo(0);
            io.vertx.core.json.JsonObject web = p2.status().getJsonArray("failover").getJsonObject(0);
            assertThat(web.getString("role")).isEqualTo("active");
            assertThat(web.getString("health")).isEqualTo("up");
        }
    }

    /**
     * The standby's probe (fos --monitor): d1's nginx answers d1 itself but no longer the backup (d1 drops
     * d2's packets to port 80). d2, its gateway check fine, asks d1 to stand down and takes over at d1's
     * "stopped"; the two are never active together.
     */
    @Test
    void theStandbysFailedProbeMakesTheActiveStandDown() throws Exception {
        RequiredTools.program("nftables", "/usr/sbin/nft", "/sbin/nft");
        Path n1 = nginx("d1-probe");
        Path n2 = nginx("d2-probe");
        try {
            standbysFailedProbe(n1, n2);
        } finally {
            stopNginx(n1, n2);
        }
    }

    private void standbysFailedProbe(Path n1, Path n2) throws Exception {
        try (PulseProcess p1 = new PulseProcess(lab.d1, dir, "fos-probe-d1", config("d1-probe", n1), Path.of("/bin/false"));
             PulseProcess p2 = startAfter(p1, "director d1-probe",
                     () -> new PulseProcess(lab.d2, dir, "fos-probe-d2", config("d2-probe", n2), Path.of("/bin/false")))) {
            assertThat(waitFor(15_000, () -> {
                var st = p2.status();
                return st != null && st.getJsonArray("failover").getJsonObject(0).getString("health").equals("up");
            })).as(p2.logText()).isTrue();
            Lab.sh("ip", "netns", "exec", lab.d1, "nft", "add table inet fosprobe; add chain inet fosprobe in"
                    + " { type filter hook input priority 0; }; add rule inet fosprobe in ip saddr " + Lab.D2_IP
                    + " tcp dport 80 drop");
            try {
                assertThat(clientUntil("director d2-probe", 10_000)).as(p1.logText() + "\n----\n" + p2.logText())
                        .isGreaterThanOrEqualTo(0);
                assertThat(p2.logText()).contains("asking partner to stand down");
                assertThat(p1.logged("partner asked us to stand down: deactivating lvs", 5_000)).as(p1.logText()).isTrue();
                assertThat(waitFor(5_000, () -> Files.exists(n1.resolve("stop_cmd-ran")))).isTrue();
                // never both active: d2 activated only after d1's deactivation (monotonic clocks of one host)
                long d1Off = lastTransition(p1, false);
                long d2On = lastTransition(p2, true);
                assertThat(d2On).isGreaterThanOrEqualTo(d1Off);
            } finally {
                Lab.shAny("ip", "netns", "exec", lab.d1, "nft", "delete", "table", "inet", "fosprobe");
            }
        }
    }

    interface Start {
        PulseProcess start() throws Exception;
    }

    /** Starts the backup once the client gets the primary's page (the primary active, its nginx up). */
    static PulseProcess startAfter(PulseProcess primary, String page, Start backup) throws Exception {
        assertThat(clientUntil(page, 15_000)).as(primary.logText()).isGreaterThanOrEqualTo(0);
        return backup.start();
    }

    static long lastTransition(PulseProcess p, boolean active) {
        long at = -1;
        for (Object o : p.status().getJsonArray("transitions")) {
            io.vertx.core.json.JsonObject t = (io.vertx.core.json.JsonObject) o;
            if (t.getString("state").equals(active ? "active" : "standby")) at = t.getLong("monotonicMs");
        }
        return at;
    }
}
