package piranha.lvsd.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import piranha.dataplane.ForwardingMethod;
import piranha.dataplane.Protocol;
import piranha.dataplane.ServiceKey;
import piranha.lvsd.backend.ipvsadm.IpvsadmBackend;
import piranha.lvsd.table.Table;
import piranha.lvsd.table.TableDiff;
import piranha.lvsd.table.TableOp;
import piranha.lvsd.testing.FakeIpvsadmInstall;
import piranha.lvsd.testing.Ipvs;

/** The ipvsadm backend speaks Piranha's command shapes to a recording stand-in. */
class IpvsadmBackendTest {
    private static final ServiceKey WEB = Ipvs.key(Protocol.TCP, "198.51.100.10", 80);
    private static final ServiceKey MARK = ServiceKey.fwmark(100);

    @TempDir
    Path dir;
    Vertx vertx;
    FakeIpvsadmInstall ipvsadm;
    IpvsadmBackend backend;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        ipvsadm = FakeIpvsadmInstall.in(dir);
        backend = new IpvsadmBackend(vertx, ipvsadm.path(), false);
    }

    @AfterEach
    void tearDown() throws Exception {
        await(backend.close());
        await(vertx.close());
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static Table table(int weight) {
        return new Table.Builder()
                .service(Ipvs.spec(WEB, "wlc", 0, null))
                .destination(WEB, Ipvs.destination("198.51.100.21", 80, ForwardingMethod.MASQ, weight))
                .destination(WEB, Ipvs.destination("198.51.100.22", 8080, ForwardingMethod.MASQ, 1))
                .service(Ipvs.spec(MARK, "rr", 60, "255.255.255.0"))
                .destination(MARK, Ipvs.destination("198.51.100.23", 0, ForwardingMethod.ROUTE, 2))
                .build();
    }

    @Test
    void manyChangesGoInOneRestoreBatchWithPiranhasShapes() throws Exception {
        await(backend.apply(TableDiff.between(Table.EMPTY, table(1))));
        assertThat(ipvsadm.calls()).containsExactly(
                "-R",
                "-R| -A -t 198.51.100.10:80 -s wlc",
                "-R| -a -t 198.51.100.10:80 -r 198.51.100.21:80 -m -w 1",
                "-R| -a -t 198.51.100.10:80 -r 198.51.100.22:8080 -m -w 1",
                "-R| -A -f 100 -s rr -p 60 -M 255.255.255.0",
                "-R| -a -f 100 -r 198.51.100.23:0 -g -w 2");
        assertThat(await(backend.read())).isEqualTo(table(1));
    }

    @Test
    void oneChangeIsOneCommand() throws Exception {
        await(backend.apply(TableDiff.between(Table.EMPTY, table(1))));
        ipvsadm.clearCalls();
        List<TableOp> ops = TableDiff.between(table(1), table(0));
        await(backend.apply(ops));
        assertThat(ipvsadm.calls()).containsExactly("-e -t 198.51.100.10:80 -r 198.51.100.21:80 -m -w 0");
        assertThat(ipvsadm.table()).contains("-a -t 198.51.100.10:80 -r 198.51.100.21:80 -m -w 0");
    }

    @Test
    void editsAndRemovals() throws Exception {
        await(backend.apply(TableDiff.between(Table.EMPTY, table(1))));
        ipvsadm.clearCalls();
        Table next = new Table.Builder()
                .service(Ipvs.spec(WEB, "sh", 300, null))
                .destination(WEB, Ipvs.destination("198.51.100.21", 80, ForwardingMethod.MASQ, 5))
                .build();
        await(backend.apply(TableDiff.between(table(1), next)));
        assertThat(ipvsadm.calls()).containsExactly(
                "-R",
                "-R| -d -t 198.51.100.10:80 -r 198.51.100.22:8080",
                "-R| -D -f 100",
                "-R| -E -t 198.51.100.10:80 -s sh -p 300",
                "-R| -e -t 198.51.100.10:80 -r 198.51.100.21:80 -m -w 5");
        assertThat(await(backend.read())).isEqualTo(next);
        assertThat(ipvsadm.calls()).doesNotContain("-C");
    }

    @Test
    void aFailedCommandFailsTheFutureWithTheToolsMessage() throws Exception {
        await(backend.apply(TableDiff.between(Table.EMPTY, table(1))));
        assertThatThrownBy(() -> await(backend.apply(List.of(new TableOp.AddService(Ipvs.spec(WEB, "rr", 0, null))))))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining(ipvsadm.path() + " -A -t 198.51.100.10:80 -s rr failed (exit 255): Service already exists");
    }

    @Test
    void aRestoreBatchWithAFailedLineFailsAlthoughIpvsadmExitsZero() throws Exception {
        await(backend.apply(TableDiff.between(Table.EMPTY, table(1))));
        ServiceKey other = Ipvs.key(Protocol.TCP, "198.51.100.11", 80);
        List<TableOp> ops = List.of(
                new TableOp.AddDestination(WEB, Ipvs.destination("198.51.100.21", 80, ForwardingMethod.MASQ, 1)),
                new TableOp.AddService(Ipvs.spec(other, "rr", 0, null)));
        assertThatThrownBy(() -> await(backend.apply(ops)))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining(ipvsadm.path() + " -R failed (exit 0): Destination already exists");
        assertThat(await(backend.read()).get(other)).as("ipvsadm went on after the failed line").isNotNull();
    }

    @Test
    void servicesItDoesNotOwnAreReadButNeverTouchedByADiffOfOwnedServices() throws Exception {
        ipvsadm.setTable(List.of("-A -t 203.0.113.5:443 -s rr", "-a -t 203.0.113.5:443 -r 203.0.113.6:443 -m -w 1"));
        Table current = await(backend.read()).only(java.util.Set.of(WEB, MARK));
        await(backend.apply(TableDiff.between(current, table(1))));
        assertThat(ipvsadm.table()).contains("-A -t 203.0.113.5:443 -s rr", "-a -t 203.0.113.5:443 -r 203.0.113.6:443 -m -w 1");
    }

    @Test
    void testStartRunsNothing() throws Exception {
        IpvsadmBackend dry = new IpvsadmBackend(vertx, ipvsadm.path(), true);
        await(dry.apply(TableDiff.between(Table.EMPTY, table(1))));
        assertThat(ipvsadm.calls()).isEmpty();
        await(dry.close());
    }
}
