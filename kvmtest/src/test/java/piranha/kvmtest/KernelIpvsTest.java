package piranha.kvmtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Boots the kvmlab guest once and runs {@code guest/suite.sh} in it: lvsd with its ipvsadm
 * backend against the guest kernel's IPVS (steps 1-4), and two directors running pulse and lvsd
 * failing over (step 5). The script checks the kernel's own output and prints
 * one {@code ok N - ...} or {@code not ok N - ...} line per check (N = step); each test here is
 * one step and fails with the step's failed checks and the guest's output around them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KernelIpvsTest {
    /**
     * A stop for a hung guest, boot included. A run of steps 1-5 took 6 minutes on a 2-core
     * machine at load 10-14, and runs of steps 1-4 up to 14 minutes at load ~20-25
     * (kvmtest/README.md); steps 9 and 10 alone took 11 minutes at load 8-15 (an lvsd JVM's start
     * in the guest is minutes there), so the default list needs about half an hour; this leaves room
     * above that.
     */
    private static final int GUEST_TIMEOUT_S = 3000;

    private static List<String> steps;
    private static List<String> output;
    private static int exit;

    @BeforeAll
    static void runTheGuest() throws Exception {
        Path root = Path.of(System.getProperty("kvm.root", "..")).toAbsolutePath().normalize();
        steps = Arrays.asList(System.getProperty("kvm.steps", "1 2 3 4 5 6 7 8 9 10 11 12").trim().split("\\s+"));
        Path lab = kvmlab(root);
        assertThat(root.resolve("lvsd/target/lvsd.jar")).as("lvsd is packaged (./mvnw -pl lvsd -am package)").exists();
        assertThat(root.resolve("pulse/target/pulse.jar")).as("pulse is packaged (./mvnw -pl pulse -am package)").exists();
        assertThat(lab.resolve("cache/rootfs.ext4")).as("the kvmlab guest is set up (run %s/kvmlab-setup)", lab).exists();

        // lvsd's and pulse's classes as class-data-sharing archives: the guest maps them instead of loading them
        for (String module : List.of("lvsd", "pulse")) {
            Process cds = new ProcessBuilder(root.resolve("kvmtest/cds.sh").toString(), module).directory(root.toFile()).inheritIO().start();
            assertThat(cds.waitFor(300, TimeUnit.SECONDS) && cds.exitValue() == 0).as("kvmtest/cds.sh %s", module).isTrue();
        }

        List<String> cmd = new ArrayList<>(List.of(lab.resolve("kvmlab-run").toString(), "bash", "kvmtest/guest/suite.sh"));
        cmd.addAll(steps);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true);
        pb.environment().put("KVMLAB_SHARE", root.toString());
        pb.environment().put("KVMLAB_TIMEOUT", Integer.toString(GUEST_TIMEOUT_S));
        pb.environment().put("KVMLAB_TIMING", "1");
        // The guest's TSC calibration goes wrong on a loaded host under TCG (its clock then ran
        // 7x fast here, and every timeout with it); the emulated HPET follows the host's clock.
        pb.environment().put("KVMLAB_APPEND", "clocksource=hpet");
        Path log = root.resolve("kvmtest/target/kvm-suite.log");
        Files.createDirectories(log.getParent());
        output = new ArrayList<>();
        Process p = pb.start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter w = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            for (String line; (line = r.readLine()) != null;) {
                output.add(line);
                w.println(line);
                System.out.println(line);
            }
        }
        if (!p.waitFor(GUEST_TIMEOUT_S + 60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        exit = p.exitValue();
    }

    /** {@code -Dkvmlab.dir}, {@code $KVMLAB_DIR}, or the shared/kvmlab beside the checkout. */
    private static Path kvmlab(Path root) {
        String set = System.getProperty("kvmlab.dir", System.getenv("KVMLAB_DIR"));
        if (set != null && !set.isBlank()) {
            return Path.of(set);
        }
        for (Path p = root.getParent(); p != null; p = p.getParent()) {
            Path lab = p.resolve("shared/kvmlab");
            if (Files.isExecutable(lab.resolve("kvmlab-run"))) {
                return lab;
            }
        }
        throw new AssertionError("no shared/kvmlab above " + root + "; set -Dkvmlab.dir or KVMLAB_DIR");
    }

    @Test
    @Order(0)
    void theGuestBootsAndLvsdStartsAndStops() {
        assumeTrue(steps.stream().anyMatch(s -> List.of("1", "2", "3", "4").contains(s)), "lvsd of steps 1-4 not started");
        assertStep("0");
        assertThat(exit).as("suite exit status; output in kvmtest/target/kvm-suite.log").isIn(0, 1);
    }

    @Test
    @Order(1)
    void step1_lvsdProgramsTheKernelTableAndLeavesOthersAlone() {
        assertStep("1");
    }

    @Test
    @Order(2)
    void step2_realTrafficThroughNatFailureAndQuiesce() {
        assertStep("2");
    }

    @Test
    @Order(3)
    void step3_reloadEditsTheLiveTable() {
        assertStep("3");
    }

    @Test
    @Order(4)
    void step4_timeoutsAndFwmark() {
        assertStep("4");
    }

    @Test
    @Order(5)
    void step5_twoDirectorsWithPulseFailOverTheVipTableAndSyncedConnections() {
        assertStep("5");
    }

    @Test
    @Order(6)
    void step6_mhSchedulesAsTheUserSpacePlanesMaglevTable() {
        assertStep("6");
    }

    @Test
    @Order(7)
    void step7_anIpv6NatServiceThroughLvsdAndTheKernel() {
        assertStep("7");
    }

    @Test
    @Order(8)
    void step8_directRoutingThroughLvsdAndTheKernel() {
        assertStep("8");
    }

    @Test
    @Order(9)
    void step9_tunnellingThroughLvsdAndTheKernel() {
        assertStep("9");
    }

    @Test
    @Order(10)
    void step10_aCutPublicHeartbeatPathIsCarriedByThePrivateOneAndOnlyBothCutFailOver() {
        assertStep("10");
    }

    @Test
    @Order(11)
    void step11_anIpv6DirectRoutingServiceWithAPulsePairFailingOver() {
        assertStep("11");
    }

    @Test
    @Order(12)
    void step12_aConnectionMovedToAnotherDirectorKeepsItsRealServer() {
        assertStep("12");
    }

    private static void assertStep(String n) {
        assumeTrue(n.equals("0") || steps.contains(n), "step " + n + " not selected (-Dkvm.steps)");
        assertThat(exit).as("suite exit status (124: the guest timed out); output in kvmtest/target/kvm-suite.log").isIn(0, 1);
        List<String> passed = output.stream().filter(l -> l.startsWith("ok " + n + " - ")).toList();
        List<String> failed = output.stream().filter(l -> l.startsWith("not ok " + n + " - ")).toList();
        String context = "guest output:\n" + String.join("\n", tail(60));
        assertThat(failed).as(context).isEmpty();
        assertThat(passed).as(context).isNotEmpty();
        if (!n.equals("0")) {
            assertThat(output).as("step %s ran to its end; %s", n, context).contains("# step " + n + " done");
        }
    }

    private static List<String> tail(int n) {
        return output.subList(Math.max(0, output.size() - n), output.size());
    }
}
