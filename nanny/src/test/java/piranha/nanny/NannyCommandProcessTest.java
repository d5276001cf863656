package piranha.nanny;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import piranha.daemon.testing.SyslogStandIn;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real {@code bin/nanny} launcher as a process, from a checkout laid out as the build lays it
 * out (target/nanny.jar from this build's classes, target/lib/ with its libraries).
 */
class NannyCommandProcessTest {
    @TempDir
    static Path root;

    @BeforeAll
    static void layOut() throws IOException {
        Path checkout = Path.of(System.getProperty("user.dir")).getParent();
        Path bin = Files.createDirectories(root.resolve("bin"));
        for (String f : List.of("nanny", "piranha-launch")) {
            Files.copy(checkout.resolve("bin").resolve(f), bin.resolve(f));
            Files.setPosixFilePermissions(bin.resolve(f), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path target = Files.createDirectories(root.resolve("nanny/target/lib"));
        Path classes = checkout.resolve("nanny/target/classes");
        jar(classes, root.resolve("nanny/target/nanny.jar"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                Files.createSymbolicLink(target.resolve(p.getFileName()), p);
            } else if (Files.isDirectory(p) && p.endsWith("target/classes") && !p.equals(classes)) {
                // a sibling module of this reactor build, e.g. daemon/target/classes
                jar(p, target.resolve(p.getParent().getParent().getFileName() + ".jar"));
            }
        }
    }

    static void jar(Path classes, Path jarFile) throws IOException {
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(jarFile));
             Stream<Path> files = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                jar.putNextEntry(new JarEntry(classes.relativize(p).toString().replace(File.separatorChar, '/')));
                jar.write(Files.readAllBytes(p));
                jar.closeEntry();
            }
        }
    }

    /** A running nanny command with its stdout lines in a queue. */
    static final class Running implements AutoCloseable {
        final Process process;
        final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final List<String> seen = new ArrayList<>();

        Running(String... args) throws IOException {
            this(Map.of(), args);
        }

        Running(Map<String, String> env, String... args) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(root.resolve("bin/nanny").toString());
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().putAll(env);
            process = pb.start();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // process ended
                }
            }, "nanny-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits for a line equal to {@code expected}; returns the lines seen before it. */
        void await(String expected, long seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null) {
                    seen.add(line);
                    if (line.equals(expected)) {
                        return;
                    }
                }
            }
            throw new AssertionError("no line '" + expected + "' within " + seconds + " s; saw " + seen);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void testStartPrintsPiranhasUpAndDownLines() throws Exception {
        LoopbackServer s = new LoopbackServer(LoopbackServer.reply("HTTP/1.0 200 OK\r\n\r\n"));
        String rs = "127.0.0.1:" + s.port();
        try (Running n = new Running("-c", "-h", "127.0.0.1", "-p", "80", "-r", Integer.toString(s.port()),
                "-a", "2", "-I", "/nonexistent/ipvsadm", "-t", "1", "-w", "1", "-V", "203.0.113.10", "-M", "m",
                "-U", "none", "-n", "--test-start", "--lvs")) {
            n.await("nanny: starting LVS client monitor for 203.0.113.10:80 -> " + rs, 20);
            n.await("nanny: [ active ] making " + rs + " available", 10);
            s.close();
            n.await("nanny: [inactive] shutting down " + rs + " due to connection failure", 5);
            assertThat(n.seen).noneMatch(l -> l.contains("command failed"));
        } finally {
            s.close();
        }
    }

    @Test
    void withoutNodaemonTheLinesGoToSyslogAsPiranhasDid() throws Exception {
        LoopbackServer s = new LoopbackServer(LoopbackServer.reply("HTTP/1.0 200 OK\r\n\r\n"));
        String rs = "127.0.0.1:" + s.port();
        try (SyslogStandIn syslog = new SyslogStandIn(root.resolve("dev-log"));
             Running n = new Running(Map.of("PIRANHA_DEV_LOG", syslog.path().toString()), "-h", "127.0.0.1",
                     "-p", "80", "-r", Integer.toString(s.port()), "-t", "3", "-V", "203.0.113.10",
                     "--test-start", "--lvs")) { // -t 3: a loaded machine may take more than a second to answer
            String header = syslog.await("starting LVS client monitor for 203.0.113.10:80 -> " + rs, 20);
            // facility daemon (3), severity info (6); ident and pid as syslog(3) writes them
            assertThat(header).startsWith("<30>").endsWith(" nanny[" + n.process.pid() + "]");
            syslog.await("[ active ] making " + rs + " available", 10);
            s.close();
            syslog.await("[inactive] shutting down " + rs + " due to connection failure", 5);
            assertThat(n.lines).as("nothing on stdout without -n").isEmpty();
        } finally {
            s.close();
        }
    }

    @Test
    void withLvsItAppliesVerdictsWithTheGivenIpvsadm() throws Exception {
        Path log = root.resolve("ipvsadm.log");
        Path ipvsadm = root.resolve("fake-ipvsadm");
        Files.writeString(ipvsadm, "#!/bin/sh\necho \"$*\" >> " + log + "\n");
        Files.setPosixFilePermissions(ipvsadm, PosixFilePermissions.fromString("rwx------"));
        LoopbackServer s = new LoopbackServer(LoopbackServer.reply("OK\n"));
        String rs = "127.0.0.1:" + s.port();
        try (Running n = new Running("-h", "127.0.0.1", "-p", "8080", "-r", Integer.toString(s.port()),
                "-x", "OK", "-a", "1", "-I", ipvsadm.toString(), "-t", "1", "-w", "64", "-V", "203.0.113.10",
                "-M", "-g", "-q", "-n", "--lvs")) {
            n.await("nanny: [ active ] making " + rs + " available", 20);
            s.behave(LoopbackServer.reply("ERR\n"));
            n.await("nanny: [inactive] shutting down " + rs + " due to connection failure", 5);
            s.behave(LoopbackServer.reply("OK\n"));
            n.await("nanny: [ active ] making " + rs + " available", 5);
            Thread.sleep(500);
        } finally {
            s.close();
        }
        assertThat(Files.readAllLines(log)).startsWith(
                "-a -t 203.0.113.10:8080 -r " + rs + " -g -w 2",
                "-e -t 203.0.113.10:8080 -r " + rs + " -g -w 0",
                "-e -t 203.0.113.10:8080 -r " + rs + " -g -w 2");
    }

    @Test
    void aFailingIpvsadmIsLoggedAndRetried() throws Exception {
        LoopbackServer s = new LoopbackServer(LoopbackServer.silent());
        try (Running n = new Running("-h", "127.0.0.1", "-p", "25", "-r", Integer.toString(s.port()), "-f", "7",
                "-u", "-I", "/bin/false", "-t", "1", "-n", "--lvs")) {
            // UDP to a TCP-only port: ICMP unreachable, never up; force it up instead through the signal
            n.await("nanny: starting LVS client monitor for fwmark 7 -> 127.0.0.1:" + s.port(), 20);
            Thread.sleep(500);
            new ProcessBuilder("kill", "-USR2", Long.toString(n.process.pid())).start().waitFor(5, TimeUnit.SECONDS);
            n.await("nanny: [ active ] making 127.0.0.1:" + s.port() + " available on operator request", 5);
            n.await("nanny: /bin/false command failed!", 5);
            n.await("nanny: /bin/false command failed!", 5);
        } finally {
            s.close();
        }
    }

    @Test
    void badOptionsGetAUsageMessageNotATrace() throws Exception {
        for (String[] args : List.of(new String[] {"-h", "127.0.0.1", "--bogus", "--lvs"},
                new String[] {"-h", "127.0.0.1"},
                new String[] {"-h", "not-an-ip", "--lvs"},
                new String[] {"-h", "127.0.0.1", "-t", "0", "--lvs"},
                new String[] {"-h", "127.0.0.1", "-x", "(", "--regex", "--lvs"})) {
            Process p = new ProcessBuilder(Stream.concat(Stream.of(root.resolve("bin/nanny").toString()),
                    Stream.of(args)).toList()).redirectErrorStream(true).start();
            try (OutputStream ignored = p.getOutputStream()) {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as(out).isEqualTo(2);
                assertThat(out).startsWith("nanny: ").doesNotContain("Exception").doesNotContain("\tat ");
            }
        }
    }
}
