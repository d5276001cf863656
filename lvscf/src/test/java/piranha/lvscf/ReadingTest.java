package piranha.lvscf;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import piranha.lvscf.model.LvsConfig;
import piranha.lvscf.model.Scheduler;

/** How text becomes a configuration: Piranha's grammar, its traps, and the extensions. */
class ReadingTest {

    static LvsCfDocument read(String text) {
        return LvsCfDocument.parse("lvs.cf", text, HostResolver.NUMERIC_ONLY);
    }

    static String located(LvsCfDocument doc) {
        return String.join("\n", doc.diagnostics().stream().map(Diagnostic::toString).toList());
    }

    @Test
    void integersReadLikeStrtolBaseZero() {
        LvsConfig c = read("serial_no = 0x10\nkeepalive = 010\ndeadtime = 30\n").config();
        assertThat(c.globals().serialNo()).isEqualTo(16);
        assertThat(c.globals().keepalive()).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void octalIsReadAsPiranhaDidButWarned() {
        LvsCfDocument doc = read("keepalive = 010\ndeadtime = 30\n");
        assertThat(located(doc)).contains("lvs.cf:1:13: warning: keepalive: '010' is read as octal (8)");
    }

    @Test
    void aLeadingZeroWithEightOrNineIsExplained() {
        assertThat(located(read("keepalive = 080\n")))
                .contains("lvs.cf:1:13: error: keepalive: '080' is not an integer (a leading 0 makes it octal");
    }

    @Test
    void fractionalSecondsAreAnExtension() {
        LvsConfig c = read("keepalive = 0.1\ndeadtime = 0.3\n").config();
        assertThat(c.globals().keepalive()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.globals().deadtime()).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void serviceNamesForPorts() {
        LvsConfig c = read("heartbeat_port = 539\nvirtual w {\n port = https\n}\n").config();
        assertThat(c.virtuals().get(0).port()).isEqualTo(443);
    }

    @Test
    void keywordsAndValuesAreCaseSensitive() {
        LvsCfDocument doc = read("virtual w {\n scheduler = WLC\n Port = 80\n}\n");
        assertThat(located(doc))
                .contains("lvs.cf:2:14: error: scheduler: 'WLC' is not valid: values are case-sensitive; did you mean 'wlc'?")
                .contains("lvs.cf:3:2: error: unknown key 'Port' (keys are case-sensitive: did you mean 'port'?)");
    }

    @Test
    void crlfFilesReadEveryLine() {
        LvsConfig c = read("serial_no = 3\r\nvirtual w {\r\n active = 1\r\n address = 198.51.100.10 eth0:1\r\n}\r\n").config();
        assertThat(c.globals().serialNo()).isEqualTo(3);
        assertThat(c.activeVirtuals()).hasSize(1);
    }

    @Test
    void trailingCommentsAreAccepted() {
        LvsCfDocument doc = read("serial_no = 3   # third edit\nvirtual w { # web\n port = 81 # alt\n} # end\n");
        assertThat(doc.errors()).isEmpty();
        assertThat(doc.config().virtuals().get(0).port()).isEqualTo(81);
    }

    @Test
    void aHashRightAfterTheEqualsSignIsAValueAsInPiranha() {
        assertThat(read("virtual w {\n expect = #\n}\n").config().virtuals().get(0).expect()).contains("#");
    }

    @Test
    void quotedValuesMayHoldBlanksAndTheOtherQuote() {
        LvsConfig c = read("virtual w {\n send = \"GET / HTTP/1.0\\r\\n\"\n expect = 'say \"hi\"'\n}\n").config();
        assertThat(c.virtuals().get(0).send()).contains("GET / HTTP/1.0\\r\\n");
        assertThat(c.virtuals().get(0).expect()).contains("say \"hi\"");
    }

    @Test
    void serverPortFollowsTheVirtualPortReadSoFar() {
        LvsConfig c = read("virtual w {\n port = 8080\n server a {\n address = 198.51.100.21\n }\n"
                + " port = 9090\n server b {\n address = 198.51.100.22\n }\n}\n").config();
        assertThat(c.virtuals().get(0).port()).isEqualTo(9090);
        assertThat(c.virtuals().get(0).servers().get(0).port()).isEqualTo(8080);
        assertThat(c.virtuals().get(0).servers().get(1).port()).isEqualTo(9090);
    }

    @Test
    void theLastOfARepeatedKeyWinsWithAWarning() {
        LvsCfDocument doc = read("keepalive = 3\nkeepalive = 4\ndeadtime = 9\n");
        assertThat(doc.config().globals().keepalive()).isEqualTo(Duration.ofSeconds(4));
        assertThat(located(doc)).contains("lvs.cf:2:1: warning: 'keepalive' is set again (first at line 1); the last value wins");
    }

    @Test
    void keysThatDoNothingAreWarned() {
        assertThat(located(read("heartbeat = 1\ndebug_level = NONE\nsync = 0\n")))
                .contains("lvs.cf:1:1: warning: 'heartbeat' has no effect")
                .contains("lvs.cf:2:1: warning: 'debug_level' has no effect")
                .contains("lvs.cf:3:1: warning: 'sync' has no effect");
    }

    @Test
    void extensionSchedulersAndBackend() {
        LvsConfig c = read("backend = userspace\nvirtual w {\n scheduler = sed\n}\n").config();
        assertThat(c.globals().backend()).isEqualTo(piranha.lvscf.model.Backend.USERSPACE);
        assertThat(c.virtuals().get(0).scheduler()).isEqualTo(Scheduler.SED);
    }

    @Test
    void everyErrorOfAFileIsReportedWithItsPlace() {
        String text = String.join("\n",
                "serial_no = 1",                          // 1
                "keepalive = 5s",                         // 2 wrong type
                "port = 80",                              // 3 key in the wrong block
                "primary = 300.1.2.3",                    // 4 bad address
                "nat_router = 198.51.100.1",              // 5 missing argument
                "virtual web {",                          // 6
                "     address = 198.51.100.10 eth0:1 x",  // 7 extra argument
                "     send = \"GET /",                    // 8 unterminated quote
                "     vip_nmask = 255.0.255.0",           // 9 bad mask
                "     active = 2",                        // 10 not a boolean
                "     server a{",                         // 11 brace misuse
                "         weight = 1",                    // 12
                "     }",                                 // 13
                "     frobnicate = 1",                    // 14 unknown key
                "     port=80",                           // 15 no blanks around =
                "     active = 1 }",                      // 16 brace after a value
                "}",                                      // 17 '}' without a block
                "");
        LvsCfDocument doc = read(text);
        List<String> lines = doc.errors().stream().map(Diagnostic::toString).toList();
        assertThat(lines).containsExactly(
                "lvs.cf:2:13: error: keepalive: '5s' is not an integer",
                "lvs.cf:3:1: error: 'port' is not valid at the top level; it is valid only inside a virtual block or inside a server block",
                "lvs.cf:4:11: error: primary: '300.1.2.3' is not an IPv4 address or host name",
                "lvs.cf:5:26: error: 'nat_router' needs 2 values: an address and a device, e.g. 192.168.1.250 eth0:1",
                "lvs.cf:7:37: error: unexpected 'x' after the value of 'address'",
                "lvs.cf:8:13: error: unterminated quote: the string has no closing quote on this line",
                "lvs.cf:9:18: error: vip_nmask: '255.0.255.0' is not a valid netmask: its one bits must be contiguous (e.g. 255.255.255.0)",
                "lvs.cf:10:15: error: active: '2' is not a boolean: write 0 or 1",
                "lvs.cf:11:14: error: put a blank before '{': write 'server a {'",
                "lvs.cf:14:6: error: unknown key 'frobnicate'",
                "lvs.cf:15:6: error: 'port=80': put blanks around '=' (key = value)",
                "lvs.cf:16:17: error: a block's closing '}' must stand on a line of its own",
                "lvs.cf:17:1: error: '}' without an open block");
        assertThat(doc.errors()).extracting(Diagnostic::key).startsWith("keepalive", "port", "primary", "nat_router", "address");
    }

    @Test
    void blockShapesAreChecked() {
        assertThat(located(read("virtual web\n{\n}\n"))).contains("lvs.cf:1:12: error: '{' must be on the same line as 'virtual web'");
        assertThat(located(read("virtual my web {\n}\n"))).contains("lvs.cf:1:12: error: a block name cannot contain blanks");
        assertThat(located(read("server a {\n}\n"))).contains("lvs.cf:1:1: error: server block outside a virtual or failover block");
        assertThat(located(read("virtual a {\n virtual b {\n }\n}\n"))).contains("lvs.cf:2:2: error: virtual block inside another block");
        assertThat(located(read("virtual a {\n active = 0\n"))).contains("lvs.cf:1:1: warning: virtual block 'a' is not closed before the end of the file");
        assertThat(located(read("vserver a {\n}\n"))).contains("lvs.cf:1:1: error: unknown block 'vserver'");
        assertThat(located(read("virtual a {\n}  x\n"))).contains("lvs.cf:2:4: error: nothing may follow '}' on its line");
    }

    @Test
    void keysInTheWrongBlockSayWhereTheyBelong() {
        assertThat(located(read("virtual a {\n weight = 1\n}\n")))
                .contains("lvs.cf:2:2: error: 'weight' is not valid inside a virtual block; it is valid only inside a server block");
        assertThat(located(read("virtual a {\n server s {\n  scheduler = rr\n }\n}\n")))
                .contains("lvs.cf:3:3: error: 'scheduler' is not valid inside a server block; it is valid only inside a virtual block");
    }

    @Test
    void anEmptyFileIsAnError() {
        assertThat(located(read(""))).isEqualTo("lvs.cf:1:1: error: the file is empty");
    }

    @Test
    void keysWrittenByOldGuisAreToleratedWithAWarning() {
        LvsCfDocument doc = read("virtual a {\n expect_program = x\n server s {\n  nmask = 255.255.255.0\n }\n}\n");
        assertThat(doc.errors()).isEmpty();
        assertThat(located(doc)).contains("lvs.cf:2:2: warning: 'expect_program' was written by some Piranha GUI builds")
                .contains("lvs.cf:4:3: warning: 'nmask' was written by some Piranha GUI builds");
    }

    @Test
    void hostNamesResolveOnceThroughTheResolver() {
        HostResolver hosts = name -> name.equals("rs1.example") ? java.util.Optional.of(piranha.lvscf.model.Values.ipv4(0xC6336415L)) : java.util.Optional.empty();
        LvsCfDocument doc = LvsCfDocument.parse("lvs.cf", "virtual a {\n server s {\n  address = rs1.example\n }\n server t {\n  address = nowhere.example\n }\n}\n", hosts);
        assertThat(doc.config().virtuals().get(0).servers().get(0).address().ip()).isEqualTo("198.51.100.21");
        assertThat(located(doc)).contains("lvs.cf:6:13: error: address: host name 'nowhere.example' does not resolve to an IPv4 address");
    }

    @Test
    void inetAtonShorthandIsReadButWarned() {
        LvsCfDocument doc = read("virtual a {\n sorry_server = 127.1\n}\n");
        assertThat(doc.config().virtuals().get(0).sorryServer().get().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(located(doc)).contains("warning: sorry_server: '127.1' is read as 127.0.0.1");
    }
}
