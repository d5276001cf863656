package piranha.pulse.address;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What an announcement logs where ARP means nothing (the demo's VIP on lo) and where the device is missing. */
class ArpAnnouncerTest {
    final Logger pulse = Logger.getLogger("pulse");
    final List<LogRecord> records = new CopyOnWriteArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    Level before;

    @BeforeEach
    void listen() {
        before = pulse.getLevel();
        pulse.setLevel(Level.ALL);
        pulse.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        pulse.removeHandler(capture);
        pulse.setLevel(before);
    }

    static Plumbing vip(String device) throws Exception {
        return new Plumbing((Inet4Address) InetAddress.getByName("127.0.0.100"), 32, device, "VIP");
    }

    @Test
    void aDeviceWithoutAnEthernetAddressIsSaidOnceAtDebugLevel() throws Exception {
        try (ArpAnnouncer arps = new ArpAnnouncer(3, Duration.ofMillis(10), false)) {
            for (int burst = 0; burst < 2; burst++) {
                records.clear();
                arps.announce(List.of(vip("lo:100")));
                waitFor("gratuitous lvs arps finished");
                assertThat(records).filteredOn(r -> r.getLevel().intValue() > Level.INFO.intValue()).isEmpty();
                assertThat(records).filteredOn(r -> r.getMessage().contains("no gratuitous ARP on lo"))
                        .hasSize(burst == 0 ? 1 : 0).allMatch(r -> r.getLevel() == Level.FINE);
            }
        }
    }

    @Test
    void aMissingDeviceIsAWarning() throws Exception {
        try (ArpAnnouncer arps = new ArpAnnouncer(1, Duration.ofMillis(10), false)) {
            arps.announce(List.of(vip("nosuchdev0")));
            waitFor("gratuitous lvs arps finished");
            assertThat(records).filteredOn(r -> r.getLevel() == Level.WARNING)
                    .extracting(LogRecord::getMessage).containsExactly(
                            "gratuitous ARP for 127.0.0.100 on nosuchdev0 failed: no such device: nosuchdev0");
        }
    }

    private void waitFor(String message) throws InterruptedException {
        for (int i = 0; i < 500 && records.stream().noneMatch(r -> message.equals(r.getMessage())); i++) {
            Thread.sleep(10);
        }
        assertThat(records).extracting(LogRecord::getMessage).contains(message);
    }
}
