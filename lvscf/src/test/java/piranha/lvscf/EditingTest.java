package piranha.lvscf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import piranha.lvscf.keys.Key;
import piranha.lvscf.keys.Keys;
import piranha.lvscf.keys.Scope;

/** Edits change only the lines they must; new lines go where Piranha's GUI would have put them. */
class EditingTest {

    private static LvsCfDocument sample() {
        return Fixtures.parse("sample-nat-fwmark-failover-scsi.cf");
    }

    /** The lines of b that are not in a, and of a that are not in b, as "-old" / "+new". */
    static List<String> diff(String a, String b) {
        List<String> la = List.of(a.split("\n", -1));
        List<String> lb = List.of(b.split("\n", -1));
        int head = 0;
        while (head < la.size() && head < lb.size() && la.get(head).equals(lb.get(head))) {
            head++;
        }
        int tail = 0;
        while (tail < la.size() - head && tail < lb.size() - head
                && la.get(la.size() - 1 - tail).equals(lb.get(lb.size() - 1 - tail))) {
            tail++;
        }
        List<String> out = new ArrayList<>();
        la.subList(head, la.size() - tail).forEach(l -> out.add("-" + l));
        lb.subList(head, lb.size() - tail).forEach(l -> out.add("+" + l));
        return out;
    }

    @Test
    void changingAValueRewritesOnlyItsValue() {
        LvsCfDocument doc = sample();
        LvsCfDocument edited = doc.withVirtual(0, "scheduler", "rr");
        assertThat(diff(doc.text(), edited.text())).containsExactly("-\tscheduler = wlc", "+\tscheduler = rr");
        assertThat(edited.config().virtuals().get(0).scheduler().keyword()).isEqualTo("rr");
    }

    @Test
    void aTrailingCommentSurvivesAnEdit() {
        LvsCfDocument doc = Fixtures.parse("direct-persistent-portal-trailing-comments.cf");
        LvsCfDocument edited = doc.withVirtual(0, "scheduler", "sh");
        assertThat(diff(doc.text(), edited.text())).hasSize(2).last().asString()
                .startsWith("+        scheduler = sh                 # ");
    }

    @Test
    void aQuotedValueKeepsItsQuotes() {
        LvsCfDocument doc = sample();
        LvsCfDocument edited = doc.withVirtual(0, "expect", "HTTP/1.1 200");
        assertThat(diff(doc.text(), edited.text())).containsExactly("-    \texpect = \"HTTP\"", "+    \texpect = \"HTTP/1.1 200\"");
    }

    @Test
    void aNewKeyGoesAfterItsCanonicalPredecessorWithItsNeighboursIndentation() {
        LvsCfDocument doc = Fixtures.parse("direct-two-servers-monitor-links.cf");
        LvsCfDocument edited = doc.withVirtual(0, "persistent", "300");
        assertThat(diff(doc.text(), edited.text())).containsExactly("+     persistent = 300");
        int port = edited.text().indexOf("     port = 80\n");
        assertThat(edited.text().indexOf("     persistent = 300\n")).isEqualTo(port + "     port = 80\n".length());
    }

    @Test
    void aNewGlobalGoesAmongTheGlobals() {
        LvsCfDocument doc = Fixtures.parse("direct-two-servers-monitor-links.cf");
        LvsCfDocument edited = doc.withGlobal("syncdaemon", "1");
        assertThat(diff(doc.text(), edited.text())).containsExactly("+syncdaemon = 1");
        assertThat(edited.text()).contains("monitor_links = 1\nsyncdaemon = 1\nvirtual HTTP {");
    }

    @Test
    void aGlobalAddedToAFileWithoutGlobalsGoesBeforeTheFirstBlock() {
        LvsCfDocument doc = Fixtures.parse("fragment-multiport-fwmark80-only-virtual.cf");
        LvsCfDocument edited = doc.withGlobal("network", "direct");
        assertThat(edited.text()).startsWith(doc.text().substring(0, doc.text().indexOf('\n') + 1) + "network = direct\nvirtual ");
    }

    @Test
    void removingAKeyRemovesEveryOccurrence() {
        LvsCfDocument doc = sample();
        LvsCfDocument edited = doc.withGlobal("backup_active", null);
        assertThat(edited.text()).isEqualTo(doc.text().replace("backup_active = 1\n", ""));
        assertThat(doc.text()).contains("backup_active = 1\n");
        assertThat(edited.config().globals().backupActive()).isFalse();
    }

    @Test
    void addingAServerWithItsKeys() {
        LvsCfDocument doc = Fixtures.parse("direct-two-servers-monitor-links.cf");
        LvsCfDocument edited = doc.addServer(0, "web3")
                .withServer(0, 2, "address", "192.168.1.233")
                .withServer(0, 2, "active", "1")
                .withServer(0, 2, "weight", "3");
        assertThat(diff(doc.text(), edited.text())).containsExactly(
                "+     server web3 {", "+         address = 192.168.1.233", "+         active = 1", "+         weight = 3", "+     }");
        assertThat(edited.config().virtuals().get(0).servers().get(2).endpoint()).isEqualTo("192.168.1.233:80");
        assertThat(edited.errors()).isEmpty();
    }

    @Test
    void addingAVirtualAfterTheLastOne() {
        LvsCfDocument doc = sample();
        LvsCfDocument edited = doc.addVirtual("dns").withVirtual(2, "port", "53").withVirtual(2, "protocol", "udp");
        assertThat(edited.config().virtuals()).hasSize(3);
        assertThat(edited.config().virtuals().get(2).name()).isEqualTo("dns");
        assertThat(edited.config().failovers()).hasSize(2);
        assertThat(edited.text()).contains("} \nvirtual dns {\n     port = 53\n     protocol = udp\n}\n");
    }

    @Test
    void removingAndRenamingBlocks() {
        LvsCfDocument doc = sample();
        LvsCfDocument edited = doc.removeServer(0, 0).renameVirtual(0, "www").removeVirtual(1);
        assertThat(edited.config().virtuals()).extracting(v -> v.name()).containsExactly("www");
        assertThat(edited.config().virtuals().get(0).servers()).extracting(s -> s.name()).containsExactly("Real2");
        assertThat(edited.text()).contains("virtual www {").doesNotContain("virtual server2");
    }

    @Test
    void bumpingTheSerialAddsOne() {
        LvsCfDocument doc = Fixtures.parse("direct-two-servers-monitor-links.cf");
        assertThat(diff(doc.text(), doc.bumpSerial().text())).containsExactly("-serial_no = 122", "+serial_no = 123");
        LvsCfDocument none = Fixtures.parse("fragment-multiport-fwmark80-only-virtual.cf");
        assertThat(none.bumpSerial().config().globals().serialNo()).isEqualTo(1);
    }

    @Test
    void anInvalidValueYieldsALocatedErrorNotAFileThatMeansSomethingElse() {
        LvsCfDocument edited = sample().withVirtual(0, "port", "80 # x");
        assertThat(edited.errors()).singleElement().satisfies(d -> {
            assertThat(d.key()).isEqualTo("port");
            assertThat(d.message()).contains("port");
        });
    }

    /** Typed into any string field, hostile text is stored so that it reads back as exactly itself. */
    @ParameterizedTest
    @ValueSource(strings = {"a } b", "}", "{", "\"", "'", "# x", "a # b", "x\" y", "it's", "= 1", "virtual x {", "\t", " lead", ""})
    void hostileTextReadsBackAsItself(String typed) {
        for (Key k : Keys.all(Scope.VIRTUAL)) {
            if (k.type() != piranha.lvscf.keys.ValueType.STRING) {
                continue;
            }
            LvsCfDocument edited = sample().withVirtual(0, k.name(), typed);
            assertThat(edited.config().virtuals().get(0).explicitValues().get(k.name())).as(k.name()).isEqualTo(typed);
            assertThat(edited.config().virtuals()).hasSize(2);
            assertThat(edited.syntax().diagnostics()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nactive = 1", "x\r\n}", "both \" and '"})
    void textNoLineCanHoldIsRefused(String typed) {
        assertThatThrownBy(() -> sample().withVirtual(0, "send", typed))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("send: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"my web", "a{", "x}", "#c", "q\"", "", "="})
    void blockNamesMustBeOneWord(String name) {
        assertThatThrownBy(() -> sample().addVirtual(name)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sample().renameServer(0, 0, name)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sample().renameVirtual(0, name)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownKeysCannotBeSet() {
        assertThatThrownBy(() -> sample().withGlobal("weight", "1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown key 'weight' at the top level");
    }

    @Test
    void aFileWithoutAFinalNewlineGainsOneOnlyWhereALineIsAppended() {
        LvsCfDocument doc = ReadingTest.read("serial_no = 1");
        assertThat(doc.withGlobal("serial_no", "2").text()).isEqualTo("serial_no = 2");
        assertThat(doc.addVirtual("w").text()).isEqualTo("serial_no = 1\nvirtual w {\n}\n");
    }

    @Test
    void failoverBlocksAreAddedEditedRenamedAndRemovedInPlace() {
        LvsCfDocument doc = ReadingTest.read("serial_no = 1\nservice = fos\nfailover web {\n     active = 1\n}\n"
                + "virtual v {\n}\n");
        LvsCfDocument added = doc.addFailover("dns");
        assertThat(diff(doc.text(), added.text())).containsExactly("+failover dns {", "+}");
        assertThat(added.text()).startsWith("serial_no = 1\nservice = fos\nfailover web {\n     active = 1\n}\nfailover dns {\n}\n");
        LvsCfDocument edited = added.withFailover(1, "port", "53").withFailover(1, "start_cmd", "/usr/sbin/named -f")
                .withFailover(0, "active", "0").renameFailover(0, "www");
        assertThat(edited.config().failovers()).extracting(f -> f.name()).containsExactly("www", "dns");
        assertThat(edited.config().failovers().get(1).port()).isEqualTo(53);
        assertThat(edited.config().failovers().get(1).value("start_cmd")).isEqualTo("/usr/sbin/named -f");
        assertThat(edited.text()).contains("     start_cmd = \"/usr/sbin/named -f\"\n");
        assertThat(edited.config().failovers().get(0).active()).isFalse();
        LvsCfDocument removed = edited.removeFailover(0);
        assertThat(removed.config().failovers()).extracting(f -> f.name()).containsExactly("dns");
        assertThat(removed.config().virtuals()).hasSize(1);
        assertThatThrownBy(() -> removed.removeFailover(1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
