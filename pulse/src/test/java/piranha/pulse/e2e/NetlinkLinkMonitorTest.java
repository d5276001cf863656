package piranha.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import piranha.daemon.testing.RequiredTools;
import piranha.pulse.link.LinkMonitor;

/**
 * rtnetlink wakes the link monitor at once: with a 10 s poll period, a link event in the monitor's
 * namespace makes it re-read the (here: test-controlled) link state within a moment.
 */
class NetlinkLinkMonitorTest {
    @TempDir
    Path sys;

    @Test
    void aLinkEventWakesTheMonitorLongBeforeItsPoll() throws Exception {
        RequiredTools.root("network namespaces");
        RequiredTools.program("iproute2", "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip");
        String ns = "ptlm-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
        Lab.sh("ip", "netns", "add", ns);
        LinkMonitor monitor = null;
        try {
            Lab.sh("ip", "-n", ns, "link", "add", "dummy0", "type", "veth", "peer", "name", "dummy1");
            Lab.sh("ip", "-n", ns, "link", "set", "dummy0", "up");
            Files.createDirectories(sys.resolve("eth0"));
            Files.writeString(sys.resolve("eth0/flags"), "0x1003\n");
            Files.writeString(sys.resolve("eth0/carrier"), "1\n");
            LinkedBlockingQueue<Set<String>> events = new LinkedBlockingQueue<>();
            // the monitor's thread is created inside the namespace and stays there
            monitor = Lab.inNamespace(ns, () -> {
                LinkMonitor m = new LinkMonitor(Map.of("Primary", "eth0"), Duration.ofSeconds(10), events::add, sys);
                m.start();
                return m;
            });
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEmpty();
            Thread.sleep(300); // let it block on the netlink socket
            Files.writeString(sys.resolve("eth0/carrier"), "0\n");
            long t0 = System.nanoTime();
            Lab.sh("ip", "-n", ns, "link", "set", "dummy0", "down");
            assertThat(events.poll(5, TimeUnit.SECONDS)).containsExactly("Primary");
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(3);
        } finally {
            if (monitor != null) monitor.close();
            Lab.shAny("ip", "netns", "del", ns);
        }
    }
}
