package piranha.pulse.address;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddressLedgerTest {
    @TempDir
    Path dir;

    static Plumbing vip(String a, int prefix, String dev) throws Exception {
        return new Plumbing(InetAddress.getByName(a), prefix, dev, "VIP");
    }

    @Test
    void itsFileSitsBesideTheControlSocket() {
        assertThat(AddressLedger.fileFor(Path.of("/run/piranha/pulse.sock"))).isEqualTo(Path.of("/run/piranha/pulse.addresses"));
        assertThat(AddressLedger.fileFor(Path.of("/tmp/ctl"))).isEqualTo(Path.of("/tmp/ctl.addresses"));
    }

    @Test
    void whatIsHeldIsWhatTheNextReaderFindsAndNothingHeldLeavesNoFile() throws Exception {
        Path file = dir.resolve("pulse.addresses");
        AddressLedger ledger = AddressLedger.open(file);
        Plumbing v4 = vip("198.51.100.10", 24, "eth0:1");
        Plumbing v6 = vip("2001:db8::10", 64, "eth0");
        Plumbing nat = new Plumbing(InetAddress.getByName("203.0.113.1"), 24, "eth1:1", "NAT router");
        ledger.holding(v4);
        ledger.holding(v6);
        ledger.holding(nat);
        ledger.holding(v4); // held already: no second line
        assertThat(Files.readAllLines(file)).containsExactly(
                "198.51.100.10/24 eth0:1 VIP", "2001:db8:0:0:0:0:0:10/64 eth0 VIP", "203.0.113.1/24 eth1:1 NAT router");
        assertThat(AddressLedger.read(file)).containsExactly(v4, v6, nat);
        assertThat(AddressLedger.open(file).held()).as("an earlier pulse's list, held by the next").containsExactly(v4, v6, nat);

        ledger.released(v6);
        assertThat(AddressLedger.read(file)).containsExactly(v4, nat);
        ledger.released(v4);
        ledger.released(nat);
        assertThat(file).doesNotExist();
        assertThat(AddressLedger.read(file)).isEmpty();
        assertThat(dir.resolve("pulse.addresses.tmp")).doesNotExist();
    }

    @Test
    void aLineThatIsNotAnAddressIsSkippedAndNoNameIsLookedUp() throws Exception {
        Path file = dir.resolve("pulse.addresses");
        Files.write(file, List.of("198.51.100.10/24 eth0:1 VIP", "", "www.example.com/24 eth0 VIP", "198.51.100.11/33 eth0 VIP",
                "198.51.100.12 eth0 VIP", "198.51.100.13/24 eth0", "garbage"));
        assertThat(AddressLedger.read(file)).containsExactly(vip("198.51.100.10", 24, "eth0:1"));
    }

    @Test
    void aLedgerThatCannotBeWrittenCostsAWarningNotTheAddress() throws Exception {
        AddressLedger ledger = AddressLedger.open(dir.resolve("missing/pulse.addresses"));
        Plumbing v = vip("198.51.100.10", 24, "eth0");
        ledger.holding(v);
        assertThat(ledger.held()).containsExactly(v);
        assertThat(dir.resolve("missing")).doesNotExist();
    }
}
