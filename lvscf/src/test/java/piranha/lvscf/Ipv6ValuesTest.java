package piranha.lvscf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import piranha.lvscf.model.Values;

/** IPv6 literals as lvs.cf takes them: bare, never resolved, printed the way ip(8) prints them. */
class Ipv6ValuesTest {
    @Test
    void bareLiteralsReadAndPrintCompressed() {
        assertThat(Values.ipv6("2001:db8:0:0:0:0:0:10").map(Values::text)).contains("2001:db8::10");
        assertThat(Values.ipv6("2001:DB8::10").map(Values::text)).contains("2001:db8::10");
        assertThat(Values.ipv6("::1").map(Values::text)).contains("::1");
        assertThat(Values.ipv6("::").map(Values::text)).contains("::");
        assertThat(Values.ipv6("2001:db8:0:0:1:0:0:1").map(Values::text)).as("the first longest run of zeros").contains("2001:db8::1:0:0:1");
        assertThat(Values.ipv6("2001:db8:1:1:1:1:0:1").map(Values::text)).as("a single zero group is not compressed").contains("2001:db8:1:1:1:1:0:1");
        assertThat(Values.ipv6("::ffff:198.51.100.1")).as("an IPv4-mapped address stays IPv6").isPresent();
    }

    @Test
    void zonesBracketsAndMalformedLiteralsAreRefused() {
        for (String bad : List.of("[2001:db8::10]", "fe80::1%eth0", "2001:db8:::10", "2001:db8::10::1", "12345::1",
                "1:2:3:4:5:6:7:8:9", "2001:db8::g", ":1", "198.51.100.1")) {
            assertThat(Values.ipv6(bad)).as(bad).isEmpty();
        }
    }

    @Test
    void aBracketedAddressInLvsCfIsALocatedError() {
        LvsCfDocument d = LvsCfDocument.parse("lvs.cf", "primary = [2001:db8::1]\n", HostResolver.NUMERIC_ONLY);
        assertThat(d.errors()).extracting(Diagnostic::toString)
                .containsExactly("lvs.cf:1:11: error: primary: '[2001:db8::1]' is not an IPv6 address (write it bare, without brackets or %zone)");
    }
}
