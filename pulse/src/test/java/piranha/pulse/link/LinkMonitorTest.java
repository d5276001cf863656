package piranha.pulse.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a sysfs-shaped directory; the namespace tests cover the real /sys/class/net. */
class LinkMonitorTest {
    @TempDir
    Path sys;

    void device(String name, String flags, String carrier) throws Exception {
        Files.createDirectories(sys.resolve(name));
        Files.writeString(sys.resolve(name).resolve("flags"), flags + "\n");
        if (carrier == null) Files.deleteIfExists(sys.resolve(name).resolve("carrier"));
        else Files.writeString(sys.resolve(name).resolve("carrier"), carrier + "\n");
    }

    @Test
    void reportsChangesOnly() throws Exception {
        device("eth0", "0x1003", "1");
        device("eth1", "0x1003", "1");
        LinkedBlockingQueue<Set<String>> events = new LinkedBlockingQueue<>();
        try (LinkMonitor m = new LinkMonitor(Map.of("Primary", "eth0", "Private", "eth1"), Duration.ofMillis(20),
                events::add, sys, false)) {
            m.start();
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEmpty();
            device("eth0", "0x1003", "0"); // cable pulled
            assertThat(events.poll(5, TimeUnit.SECONDS)).containsExactly("Primary");
            device("eth1", "0x1002", null); // admin down: no IFF_UP, carrier unreadable
            assertThat(events.poll(5, TimeUnit.SECONDS)).containsExactly("Primary", "Private");
            device("eth1", "0x1003", "1");
            assertThat(events.poll(5, TimeUnit.SECONDS)).containsExactly("Primary");
            device("eth0", "0x1003", "1");
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEmpty();
            assertThat(events.poll(200, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void unknownCarrierCountsAsUpAndAMissingDeviceAsDown() throws Exception {
        device("dummy0", "0x1003", null);
        LinkMonitor m = new LinkMonitor(Map.of(), Duration.ofSeconds(1), s -> { }, sys);
        assertThat(m.linkUp("dummy0")).isTrue();
        assertThat(m.linkUp("gone0")).isFalse();
    }
}
