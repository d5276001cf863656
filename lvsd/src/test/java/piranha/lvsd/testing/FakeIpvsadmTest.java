package piranha.lvsd.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stand-in answers as ipvsadm 1.31 on a 6.1 kernel did (outputs recorded in a kvmlab guest). */
class FakeIpvsadmTest {
    ByteArrayOutputStream out;
    ByteArrayOutputStream err;
    FakeIpvsadm ipvsadm;

    @BeforeEach
    void setUp() {
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        ipvsadm = new FakeIpvsadm(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private int run(String line) {
        return ipvsadm.run(line.split(" "), null);
    }

    private String stdout() {
        String s = out.toString(StandardCharsets.UTF_8);
        out.reset();
        return s;
    }

    private String stderr() {
        String s = err.toString(StandardCharsets.UTF_8);
        err.reset();
        return s;
    }

    @Test
    void errorsExit255WithLibipvsMessages() {
        assertThat(run("-A -t 198.51.100.10:80 -s wlc")).isZero();
        assertThat(run("-A -t 198.51.100.10:80 -s wlc")).isEqualTo(255);
        assertThat(stderr()).isEqualTo("Service already exists\n");
        assertThat(run("-a -t 198.51.100.10:81 -r 203.0.113.9:80 -m -w 1")).isEqualTo(255);
        assertThat(stderr()).isEqualTo("Service not defined\n");
        assertThat(run("-e -t 198.51.100.10:80 -r 203.0.113.9:80 -m -w 1")).isEqualTo(255);
        assertThat(stderr()).isEqualTo("No such destination\n");
        assertThat(run("-D -t 198.51.100.10:81")).isEqualTo(255);
        assertThat(stderr()).isEqualTo("No such service\n");
        assertThat(run("-A -t 198.51.100.10:82 -s nosuch")).isEqualTo(255);
        assertThat(stderr()).isEqualTo("Scheduler or persistence engine not found\n");
        assertThat(run("--bogus")).isEqualTo(255);
        assertThat(stderr()).isEqualTo("Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n");
    }

    @Test
    void syncDaemonsOneOfEachRoleWithTheKernelsErrors() {
        assertThat(run("--stop-daemon backup")).isEqualTo(255);
        assertThat(stderr()).isEqualTo("No daemon is running\n");
        assertThat(run("--start-daemon master")).isEqualTo(255);
        assertThat(stderr()).isEqualTo("No such device\n");
        assertThat(run("--start-daemon backup --mcast-interface eth1 --syncid 7")).isZero();
        assertThat(run("--start-daemon master --mcast-interface eth1 --syncid 7")).isZero();
        assertThat(run("--start-daemon master --mcast-interface eth1 --syncid 7")).isEqualTo(255);
        assertThat(stderr()).isEqualTo("Daemon has already run\n");
        assertThat(run("-L --daemon")).isZero();
        assertThat(stdout()).isEqualTo(
                "master sync daemon (mcast=eth1, syncid=7, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)\n"
                + "backup sync daemon (mcast=eth1, syncid=7, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)\n");
        assertThat(run("--stop-daemon backup")).isZero();
        assertThat(run("-L --daemon")).isZero();
        assertThat(stdout()).startsWith("master sync daemon (mcast=eth1,").doesNotContain("backup");
    }

    @Test
    void restoreGoesOnAfterAFailedLineAndExitsWithTheLastLinesStatus() {
        String batch = "-A -t 198.51.100.20:80 -s rr\n-a -t 198.51.100.20:80 -r 203.0.113.5:80 -m -w 1\n"
                + "-a -t 198.51.100.20:80 -r 203.0.113.5:80 -m -w 1\n-A -t 198.51.100.21:80 -s rr\n";
        assertThat(ipvsadm.run(new String[] {"-R"}, batch)).isZero();
        assertThat(stderr()).isEqualTo("Destination already exists\n");
        run("-S -n");
        assertThat(stdout()).contains("-A -t 198.51.100.21:80 -s rr");
        assertThat(ipvsadm.run(new String[] {"-R"}, "-A -t 198.51.100.21:80 -s rr\n")).isEqualTo(255);
    }

    @Test
    void saveAndListAreSortedLikeTheKernelsAndNormalised() {
        run("-A -f 8 -s rr -p 20 -M 255.255.0.0");
        run("-A -f 7 -s wlc");
        run("-A -u 198.51.100.10:53 -s rr");
        run("-A -t 198.51.100.10:445 -s sh -p 30 -M 255.255.255.255");
        run("-A -t 198.51.100.10:444 -s rr -p");
        run("-A -t 198.51.100.10:80 -s rr");
        run("-a -t 198.51.100.10:80 -r 203.0.113.8:80");
        run("-a -t 198.51.100.10:80 -r 203.0.113.7 -i -w 2");
        run("-a -t 198.51.100.10:80 -r 203.0.113.5:8080 -m -w 3");
        run("-a -f 8 -r 203.0.113.6 -g -w 1");
        assertThat(stderr()).isEmpty();
        run("-S -n");
        assertThat(stdout()).isEqualTo("""
                -A -t 198.51.100.10:80 -s rr
                -a -t 198.51.100.10:80 -r 203.0.113.5:8080 -m -w 3
                -a -t 198.51.100.10:80 -r 203.0.113.7:80 -i -w 2 --tun-type ipip
                -a -t 198.51.100.10:80 -r 203.0.113.8:80 -g -w 1
                -A -t 198.51.100.10:444 -s rr -p 360
                -A -t 198.51.100.10:445 -s sh -p 30
                -A -u 198.51.100.10:53 -s rr
                -A -f 7 -s wlc
                -A -f 8 -s rr -p 20 -M 255.255.0.0
                -a -f 8 -r 203.0.113.6:0 -g -w 1
                """);
        assertThat(run("-Ln")).isZero();
        String list = stdout();
        // ipvsadm pads every destination column, the last one too ("%-10u")
        assertThat(list).contains("  -> 203.0.113.5:8080             Masq    3      0          0         \n");
        assertThat(list.lines().map(String::stripTrailing).map(l -> l + "\n").collect(java.util.stream.Collectors.joining())).isEqualTo("""
                IP Virtual Server version 1.2.1 (size=4096)
                Prot LocalAddress:Port Scheduler Flags
                  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
                TCP  198.51.100.10:80 rr
                  -> 203.0.113.5:8080             Masq    3      0          0         
                  -> 203.0.113.7:80               Tunnel  2      0          0         
                  -> 203.0.113.8:80               Route   1      0          0         
                TCP  198.51.100.10:444 rr persistent 360
                TCP  198.51.100.10:445 sh persistent 30
                UDP  198.51.100.10:53 rr
                FWM  7 wlc
                FWM  8 rr persistent 20 mask 255.255.0.0
                  -> 203.0.113.6:0                Route   1      0          0         
                """);
    }
}
