package piranha.journey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of processes over a window, from /proc/PID/stat: user and system time of the process
 * and of the children it waited for (pulse's ip commands), in clock ticks (USER_HZ = 100 on Linux).
 */
final class CpuMeter {
    static final double TICKS_PER_SECOND = 100.0;

    private CpuMeter() {}

    static long ticks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "(comm)": state is field 3, utime 14, stime 15, cutime 16, cstime 17
        return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }

    /** Share of one core each process used over {@code window} (0.02 = 2 %). */
    static Map<String, Double> shares(Map<String, Long> pids, Duration window) throws IOException, InterruptedException {
        Map<String, Long> before = new LinkedHashMap<>();
        for (var e : pids.entrySet()) {
            before.put(e.getKey(), ticks(e.getValue()));
        }
        long t0 = System.nanoTime();
        Thread.sleep(window.toMillis());
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> shares = new LinkedHashMap<>();
        for (var e : pids.entrySet()) {
            shares.put(e.getKey(), (ticks(e.getValue()) - before.get(e.getKey())) / TICKS_PER_SECOND / seconds);
        }
        return shares;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "?";
        }
    }
}
