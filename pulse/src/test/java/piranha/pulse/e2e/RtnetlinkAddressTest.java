package piranha.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import piranha.daemon.testing.RequiredTools;
import piranha.pulse.address.AddressActions;
import piranha.pulse.address.Plumbing;
import piranha.pulse.exec.CommandRunner;

/**
 * The floating addresses move through rtnetlink and end up as `ip addr add` would have left them:
 * broadcast, alias label, IPv6 without duplicate address detection. Every call runs on a thread that
 * has entered a throw-away namespace, so its netlink sockets (and device look-ups) are that
 * namespace's.
 */
class RtnetlinkAddressTest {
    final Logger pulse = Logger.getLogger("pulse");
    final List<String> warnings = new CopyOnWriteArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) warnings.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    String ns;

    @BeforeEach
    void namespace() throws Exception {
        RequiredTools.root("network namespaces");
        RequiredTools.program("iproute2", "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip");
        ns = "nlt-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
        Lab.sh("ip", "netns", "add", ns);
        Lab.sh("ip", "-n", ns, "link", "add", "vip0", "type", "veth", "peer", "name", "vip1");
        // DAD left on, so that an address added without it would show as tentative
        Lab.sh("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=0",
                "net.ipv6.conf.vip0.disable_ipv6=0", "net.ipv6.conf.vip0.accept_dad=1");
        // both ends up: without carrier an IPv6 address would stay tentative whatever its flags
        Lab.sh("ip", "-n", ns, "link", "set", "vip1", "up");
        Lab.sh("ip", "-n", ns, "link", "set", "vip0", "up");
        // the carrier is noticed a moment later (linkwatch); IPv6 starts its addresses only then
        for (int i = 0; i < 100 && !Lab.sh("ip", "-n", ns, "link", "show", "vip0").contains("state UP"); i++) {
            Thread.sleep(50);
        }
        pulse.addHandler(capture);
    }

    @AfterEach
    void removeNamespace() {
        pulse.removeHandler(capture);
        if (ns != null) Lab.shAnyQuiet("ip", "netns", "del", ns);
    }

    static Plumbing plumbing(String address, int prefix, String device) throws Exception {
        return new Plumbing(InetAddress.getByName(address), prefix, device, "VIP");
    }

    static AddressActions actions() {
        AddressActions a = new AddressActions(new CommandRunner(false), AddressActions.DEFAULT_IP);
        assertThat(a.throughNetlink()).isTrue();
        return a;
    }

    /** Adds each through rtnetlink in the namespace; each add must succeed. */
    void add(Plumbing... vips) throws Exception {
        Lab.inNamespace(ns, () -> {
            AddressActions a = actions();
            for (Plumbing vip : vips) assertThat(a.add(vip)).as(vip.toString()).isTrue();
            return null;
        });
    }

    /** Removes each twice: the second removal finds nothing and must stay quiet. */
    void removeTwice(Plumbing... vips) throws Exception {
        Lab.inNamespace(ns, () -> {
            AddressActions a = actions();
            for (Plumbing vip : vips) {
                a.remove(vip);
                a.remove(vip);
            }
            return null;
        });
    }

    String addresses(String family) throws Exception {
        return Lab.sh("ip", "-n", ns, "-o", family, "addr", "show", "dev", "vip0");
    }

    @Test
    void anIpv4VipGetsItsBroadcastAndLabelAndGoesAgainQuietly() throws Exception {
        Plumbing vip = plumbing("198.51.100.100", 24, "vip0:1");
        Plumbing host = plumbing("198.51.100.101", 32, "vip0");
        add(vip, host, vip); // the second time: already there
        String shown = addresses("-4");
        assertThat(shown).contains("inet 198.51.100.100/24 brd 198.51.100.255 scope global vip0:1");
        assertThat(shown).contains("inet 198.51.100.101/32 scope global vip0");
        assertThat(shown).doesNotContain("198.51.100.101/32 brd");

        removeTwice(vip, host);
        assertThat(addresses("-4")).doesNotContain("198.51.100.");
        assertThat(warnings).isEmpty();
    }

    @Test
    void anIpv6AddressIsUsableAtOnce() throws Exception {
        Plumbing vip = plumbing("2001:db8::100", 64, "vip0");
        // the control: the same device with `ip` and no nodad
        Lab.sh("ip", "-n", ns, "-6", "addr", "add", "2001:db8::200/64", "dev", "vip0");
        add(vip);
        String shown = addresses("-6");
        assertThat(shown).contains("2001:db8::200/64 scope global tentative");
        assertThat(shown.lines().filter(l -> l.contains("2001:db8::100/64")))
                .singleElement().satisfies(l -> assertThat(l).doesNotContain("tentative"));

        removeTwice(vip);
        assertThat(addresses("-6")).doesNotContain("2001:db8::100/");
        assertThat(warnings).isEmpty();
    }

    /**
     * A VIP in the prefix of the director's own address (and of direct-routing real servers) must not
     * become the source of the director's own connections (nanny's checks): added after the own
     * address it would win by the longest matching prefix (a tie, the newest first), and a real server
     * holding the VIP on lo would answer the check to itself. Deprecated (preferred_lft 0), it loses.
     * Both ways pulse adds it: rtnetlink, and the `ip` command it falls back to.
     */
    @Test
    void anIpv6VipIsDeprecatedSoNeverTheSourceOfTheDirectorsOwnConnections() throws Exception {
        Lab.sh("ip", "-n", ns, "-6", "addr", "add", "2001:db8::101/64", "dev", "vip0", "nodad");
        Plumbing vip64 = plumbing("2001:db8::110", 64, "vip0:1");
        Plumbing vip128 = plumbing("2001:db8::111", 128, "vip0");
        add(vip64, vip128);
        List<String> argv = new java.util.ArrayList<>(List.of("ip", "netns", "exec", ns));
        argv.addAll(AddressActions.addCommand("ip", plumbing("2001:db8::112", 64, "vip0:2")));
        Lab.sh(argv.toArray(String[]::new));
        String shown = addresses("-6");
        for (String vip : List.of("2001:db8::110/64", "2001:db8::111/128", "2001:db8::112/64")) {
            assertThat(shown.lines().filter(l -> l.contains(vip))).as(shown)
                    .singleElement().satisfies(l -> assertThat(l).contains("deprecated").doesNotContain("tentative"));
        }
        for (String peer : List.of("2001:db8::11", "2001:db8::113", "2001:db8::1:0")) {
            assertThat(Lab.sh("ip", "-n", ns, "-6", "route", "get", peer)).as("source towards " + peer)
                    .contains(" src 2001:db8::101 ");
        }
        // still an address of this host: a connection to it is answered from it
        assertThat(Lab.sh("ip", "-n", ns, "-6", "route", "get", "2001:db8::110")).contains("local 2001:db8::110 ");
        assertThat(warnings).isEmpty();
    }

    @Test
    void aMissingDeviceIsAWarningAsWithIp() throws Exception {
        Plumbing vip = plumbing("198.51.100.102", 24, "nothere0:1");
        boolean added = Lab.inNamespace(ns, () -> actions().add(vip));
        assertThat(added).isFalse();
        assertThat(warnings).containsExactly("cannot add VIP 198.51.100.102/24 on nothere0:1: No such device");
    }

    @Test
    void aLabelTooLongForTheKernelIsAWarningNotACrash() throws Exception {
        Plumbing vip = plumbing("198.51.100.103", 24, "vip0:" + "x".repeat(300));
        boolean added = Lab.inNamespace(ns, () -> actions().add(vip));
        assertThat(added).isFalse();
        assertThat(warnings).singleElement().asString().startsWith("cannot add VIP 198.51.100.103/24 on vip0:xxx");
        assertThat(addresses("-4")).doesNotContain("198.51.100.103");
    }
}
