package piranha.pulse.address;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import piranha.pulse.exec.CommandRunner;

/**
 * A whole plan moves with one ledger write: every address is recorded before the first is added, and
 * forgotten together once all are off. A stand-in for the ip command copies the ledger as it finds it
 * at each call, so the order of writes and adds is seen from outside, as a killed pulse would leave it.
 */
class AddressActionsLedgerTest {
    @TempDir
    Path dir;
    Path ledgerFile;
    Path seen;
    AddressActions actions;

    @BeforeEach
    void standInIpCommand() throws Exception {
        ledgerFile = dir.resolve("pulse.addresses");
        seen = dir.resolve("seen");
        Path ip = dir.resolve("ip");
        // "ip addr add|del CIDR dev D": note the verb and the ledger's lines at that moment; a del of
        // 198.51.100.13 fails as a device the kernel refuses would.
        Files.writeString(ip, """
                #!/bin/sh
                [ "$1" = -6 ] && shift
                { echo "$2 $3: $(tr '\\n' ',' < %s 2>/dev/null)"; } >> %s
                [ "$2" = del ] && [ "$3" = 198.51.100.13/24 ] && { echo 'RTNETLINK answers: Operation not permitted' >&2; exit 2; }
                exit 0
                """.formatted(ledgerFile, seen));
        Files.setPosixFilePermissions(ip, PosixFilePermissions.fromString("rwx------"));
        actions = new AddressActions(new CommandRunner(false), ip.toString()).recordingIn(AddressLedger.open(ledgerFile));
    }

    static Plumbing vip(String a) throws Exception {
        return new Plumbing(InetAddress.getByName(a), 24, "eth0:1", "VIP");
    }

    @Test
    void everyAddressOfAPlanIsRecordedBeforeTheFirstIsAdded() throws Exception {
        actions.addAll(List.of(vip("198.51.100.10"), vip("198.51.100.11"), vip("198.51.100.12")));

        String all = "198.51.100.10/24 eth0:1 VIP,198.51.100.11/24 eth0:1 VIP,198.51.100.12/24 eth0:1 VIP,";
        assertThat(Files.readAllLines(seen)).containsExactly(
                "add 198.51.100.10/24: " + all, "add 198.51.100.11/24: " + all, "add 198.51.100.12/24: " + all);
    }

    @Test
    void aPlanIsForgottenOnceItIsOffAndWhatCouldNotBeRemovedStaysRecorded() throws Exception {
        List<Plumbing> plan = List.of(vip("198.51.100.10"), vip("198.51.100.13"), vip("198.51.100.12"));
        actions.addAll(plan);
        Files.delete(seen);

        actions.removeAll(plan);

        String all = "198.51.100.10/24 eth0:1 VIP,198.51.100.13/24 eth0:1 VIP,198.51.100.12/24 eth0:1 VIP,";
        assertThat(Files.readAllLines(seen)).as("nothing is struck until every removal was tried").containsExactly(
                "del 198.51.100.10/24: " + all, "del 198.51.100.13/24: " + all, "del 198.51.100.12/24: " + all);
        assertThat(Files.readAllLines(ledgerFile)).as("for --release and the next pulse")
                .containsExactly("198.51.100.13/24 eth0:1 VIP");
    }
}
