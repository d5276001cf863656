package piranha.journey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bin/demo as the README runs it, on ports and a virtual IP of its own and in a directory of its
 * own (PIRANHA_DEMO_*), so that it runs beside another developer's demo or tests. Reads what it
 * prints: the hints, the one-time password, demo_rs2's pid.
 */
final class Demo implements AutoCloseable {
    final Path dir;
    final String vip;
    final int vport;
    final int rs1Port;
    final int rs2Port;
    final int guiPort;
    /** Where pulse and lvsd serve their metrics (ADDRESS:PORT). */
    final String pulseMetrics;
    final String lvsdMetrics;
    final Process process;
    private final Path out;
    private final Path err;
    private String banner;

    private Demo(Path dir, Map<String, String> env) throws IOException {
        this.dir = dir;
        this.vip = env.get("PIRANHA_DEMO_VIP");
        this.vport = Integer.parseInt(env.get("PIRANHA_DEMO_VPORT"));
        String[] rs = env.get("PIRANHA_DEMO_RS_PORTS").split(" ");
        this.rs1Port = Integer.parseInt(rs[0]);
        this.rs2Port = Integer.parseInt(rs[1]);
        this.guiPort = Integer.parseInt(env.get("PIRANHA_DEMO_GUI_PORT"));
        this.pulseMetrics = env.get("PIRANHA_DEMO_PULSE_METRICS");
        this.lvsdMetrics = env.get("PIRANHA_DEMO_LVSD_METRICS");
        this.out = dir.resolveSibling(dir.getFileName() + ".out");
        this.err = dir.resolveSibling(dir.getFileName() + ".err");
        ProcessBuilder pb = new ProcessBuilder(Checkout.bin("demo").toString()).directory(Checkout.ROOT.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Command.clean(pb.environment());
        pb.environment().putAll(env);
        process = pb.start();
    }

    /** Starts the demo in {@code dir} (which must not exist yet) on free ports and a random loopback VIP. */
    static Demo start(Path dir) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PIRANHA_DEMO_DIR", dir.toString());
        env.put("PIRANHA_DEMO_VIP", Checkout.randomLoopbackVip());
        env.put("PIRANHA_DEMO_VPORT", Integer.toString(Checkout.freeTcpPort()));
        env.put("PIRANHA_DEMO_RS_PORTS", Checkout.freeTcpPort() + " " + Checkout.freeTcpPort());
        env.put("PIRANHA_DEMO_GUI_PORT", Integer.toString(Checkout.freeTcpPort()));
        env.put("PIRANHA_DEMO_HEARTBEAT_PORT", Integer.toString(Checkout.freeUdpPort()));
        env.put("PIRANHA_DEMO_PULSE_METRICS", "127.0.0.1:" + Checkout.freeTcpPort());
        env.put("PIRANHA_DEMO_LVSD_METRICS", "127.0.0.1:" + Checkout.freeTcpPort());
        return new Demo(dir, env);
    }

    /** Waits for the banner (the appliance is up and the VIP answers): what the demo tells the operator. */
    String awaitBanner(Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() - end < 0) {
            String text = stdout();
            if (text.contains("stops everything.")) {
                banner = text;
                return banner;
            }
            if (!process.isAlive()) {
                throw new AssertionError("bin/demo exited with " + process.exitValue() + ":\n" + text + stderr() + logs());
            }
            Thread.sleep(200);
        }
        throw new AssertionError("bin/demo printed no banner within " + limit + ":\n" + stdout() + stderr() + logs());
    }

    String password() {
        return group("one-time password: (\\S+)");
    }

    long rs2Pid() {
        return Long.parseLong(group("kill (\\d+) +# stop demo_rs2"));
    }

    /** The shell command lines of the hints ("Try:"), without their comments. */
    List<String> hintCommands() {
        List<String> commands = new ArrayList<>();
        boolean inTry = false;
        for (String line : banner.split("\n")) {
            if (line.strip().equals("Try:")) {
                inTry = true;
            } else if (inTry && line.isBlank()) {
                break;
            } else if (inTry) {
                int hash = line.indexOf('#');
                commands.add((hash < 0 ? line : line.substring(0, hash)).strip());
            }
        }
        return commands;
    }

    /** The environment an operator's shell has: nothing of the demo's but where it is, as the hints say. */
    Map<String, String> operatorEnv() {
        return Map.of("PIRANHA_DEMO_DIR", dir.toString());
    }

    private String group(String regex) {
        Matcher m = Pattern.compile(regex).matcher(banner);
        if (!m.find()) {
            throw new AssertionError("not in the banner: " + regex + "\n" + banner);
        }
        return m.group(1);
    }

    String stdout() throws IOException {
        return Files.exists(out) ? Files.readString(out) : "";
    }

    String stderr() throws IOException {
        return Files.exists(err) ? Files.readString(err) : "";
    }

    String logs() {
        StringBuilder sb = new StringBuilder();
        for (String log : List.of("pulse.log", "gui.log")) {
            try {
                sb.append("\n--- ").append(log).append('\n').append(Files.readString(dir.resolve(log)));
            } catch (IOException e) {
                sb.append("\n--- ").append(log).append(": ").append(e.getMessage());
            }
        }
        return sb.toString();
    }

    /** The demo's process and every descendant of it, now. */
    List<ProcessHandle> tree() {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process.toHandle());
        process.descendants().forEach(all::add);
        return all;
    }

    /** Whatever still runs (a test that failed half-way): SIGTERM to the demo, then SIGKILL to all of it. */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> all = tree();
        if (process.isAlive()) {
            process.destroy();
            process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        all.forEach(ProcessHandle::destroyForcibly);
    }
}
