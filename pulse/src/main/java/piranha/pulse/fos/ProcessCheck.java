package piranha.pulse.fos;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import piranha.nanny.check.Check;
import piranha.nanny.check.CheckResult;

/**
 * A tracked {@code process}: passes while a process of that name runs, matched as pidof matches it:
 * its name ({@code /proc/PID/comm}, which the kernel cuts at 15 bytes) or the base name of its first
 * argument. /proc is read on a worker thread, never on the event loop.
 */
final class ProcessCheck implements Check {
    private final Vertx vertx;
    private final String name;
    private final Path proc;

    ProcessCheck(Vertx vertx, String name, Path proc) {
        this.vertx = vertx;
        this.name = name;
        this.proc = proc;
    }

    @Override
    public Future<CheckResult> run() {
        long start = System.nanoTime();
        return vertx.executeBlocking(() -> {
            long pid = find();
            return pid > 0 ? CheckResult.pass("process " + name + " runs (pid " + pid + ")", start)
                    : CheckResult.fail("no process " + name + " runs", start);
        }, false);
    }

    /** The pid of a process of that name, or -1. */
    long find() throws IOException {
        String comm = name.length() > 15 ? name.substring(0, 15) : name;
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("[0-9]+"))) {
            for (Path p : pids) {
                try {
                    boolean commMatches = Files.readString(p.resolve("comm"), StandardCharsets.UTF_8).strip().equals(comm);
                    if (commMatches && name.length() <= 15 || argv0(p).equals(name)) {
                        return Long.parseLong(p.getFileName().toString());
                    }
                } catch (IOException e) {
                    // the process ended while we looked: not this one
                }
            }
        }
        return -1;
    }

    /** The base name of a process's first argument; "" for a kernel thread. */
    private static String argv0(Path pid) throws IOException {
        byte[] b = Files.readAllBytes(pid.resolve("cmdline"));
        int end = 0;
        while (end < b.length && b[end] != 0) end++;
        String first = new String(b, 0, end, StandardCharsets.UTF_8);
        int slash = first.lastIndexOf('/');
        return slash < 0 ? first : first.substring(slash + 1);
    }

    @Override
    public String describe() {
        return "process " + name;
    }

    @Override
    public String kind() {
        return "process";
    }
}
