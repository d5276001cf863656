package piranha.lvscf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import piranha.lvscf.model.VipGroup;

/** vip_group blocks (extension): how they read, round-trip, and each mistake reported at its line and key. */
class VipGroupTest {
    static final String HEAD = "primary = 198.51.100.11\nbackup_active = 1\nbackup = 198.51.100.12\nheartbeat_port = 539\n"; // 4 lines

    static String virtual(String name, String vip, String group) {
        return "virtual " + name + " {\n active = 1\n address = " + vip + " eth0:1\n"
                + (group == null ? "" : " vip_group = " + group + "\n") + " server a {\n  address = 198.51.100.21\n"
                + "  active = 1\n }\n}\n";
    }

    static final String GROUPS = "vip_group g1 {\n primary = 198.51.100.11\n heartbeat_port = 540\n}\n"
            + "vip_group g2 {\n primary = 198.51.100.12\n heartbeat_port = 541\n}\n"; // lines 5-12

    static LvsCfDocument read(String text) {
        return LvsCfDocument.parse("lvs.cf", text, HostResolver.NUMERIC_ONLY);
    }

    static String located(LvsCfDocument doc) {
        return String.join("\n", doc.diagnostics().stream().map(Diagnostic::toString).toList());
    }

    @Test
    void groupsReadAndServicesNameThem() {
        LvsCfDocument doc = read(HEAD + GROUPS + virtual("web", "198.51.100.100", "g1") + virtual("mail", "198.51.100.101", "g2")
                + virtual("dns", "198.51.100.102", null));
        assertThat(located(doc)).isEqualTo("lvs.cf:5:1: warning: vip_group blocks without giveback_delay: a group's primary"
                + " that comes back stays standby (Piranha's no give-back), so the director started first keeps every"
                + " group until it fails; set giveback_delay");
        assertThat(read("giveback_delay = 2\n" + HEAD + GROUPS + virtual("web", "198.51.100.100", "g1")
                + virtual("mail", "198.51.100.101", "g2")).diagnostics()).isEmpty();
        assertThat(doc.config().vipGroups()).extracting(VipGroup::name).containsExactly("g1", "g2");
        VipGroup g2 = doc.config().vipGroups().get(1);
        assertThat(g2.primary().orElseThrow().text()).isEqualTo("198.51.100.12");
        assertThat(g2.heartbeatPort()).contains(541);
        assertThat(doc.config().virtuals()).extracting(v -> v.vipGroup().orElse("-")).containsExactly("g1", "g2", "-");
        assertThat(doc.text()).isEqualTo(HEAD + GROUPS + virtual("web", "198.51.100.100", "g1")
                + virtual("mail", "198.51.100.101", "g2") + virtual("dns", "198.51.100.102", null));
        LvsCfDocument again = read(CanonicalWriter.write(doc.config()));
        assertThat(again.config()).isEqualTo(doc.config());
        assertThat(EffectiveConfig.of(doc.config()).toString()).contains("vip_group");
    }

    @Test
    void aFileWithoutGroupsHasNone() {
        LvsCfDocument doc = read(HEAD + virtual("web", "198.51.100.100", null));
        assertThat(doc.config().vipGroups()).isEmpty();
        assertThat(doc.diagnostics()).isEmpty();
    }

    @Test
    void mistakesAreLocated() {
        assertThat(located(read(HEAD + GROUPS + virtual("web", "198.51.100.100", "g3"))))
                .contains("lvs.cf:16:14: error: virtual 'web': no vip_group block is named 'g3' (declared: g1, g2)");
        assertThat(located(read(HEAD + "vip_group g1 {\n primary = 198.51.100.13\n heartbeat_port = 540\n}\n"
                + virtual("web", "198.51.100.100", "g1"))))
                .contains("lvs.cf:6:12: error: vip_group 'g1': primary 198.51.100.13 is neither primary"
                        + " (198.51.100.11) nor backup (198.51.100.12)");
        assertThat(located(read(HEAD + "vip_group g1 {\n primary = 198.51.100.11\n heartbeat_port = 539\n}\n"
                + virtual("web", "198.51.100.100", "g1"))))
                .contains("lvs.cf:7:19: error: vip_group 'g1': heartbeat_port 539 is already the pair's heartbeat_port");
        assertThat(located(read(HEAD + "vip_group g1 {\n primary = 198.51.100.11\n heartbeat_port = 540\n}\n"
                + "vip_group g2 {\n primary = 198.51.100.12\n heartbeat_port = 540\n}\n" + virtual("web", "198.51.100.100", "g1")
                + virtual("mail", "198.51.100.101", "g2"))))
                .contains("lvs.cf:11:19: error: vip_group 'g2': heartbeat_port 540 is already the port of vip_group 'g1'");
        assertThat(located(read(HEAD + "vip_group g1 {\n heartbeat_port = 540\n}\n" + virtual("web", "198.51.100.100", "g1"))))
                .contains("lvs.cf:5:1: error: vip_group 'g1' has no primary");
        assertThat(located(read(HEAD + "vip_group g1 {\n primary = 198.51.100.11\n}\n" + virtual("web", "198.51.100.100", "g1"))))
                .contains("lvs.cf:5:1: error: vip_group 'g1' has no heartbeat_port");
        assertThat(located(read(HEAD + GROUPS + virtual("web", "198.51.100.100", "g1") + virtual("web2", "198.51.100.100", "g2")
                + virtual("mail", "198.51.100.101", "g2"))))
                .contains("lvs.cf:25:14: error: virtual 'web2': VIP 198.51.100.100 is in vip_group 'g2' but"
                        + " virtual 'web' (line 13) puts it in 'g1'");
        assertThat(located(read(HEAD + GROUPS + virtual("web", "198.51.100.100", "g1"))))
                .contains("lvs.cf:9:1: warning: vip_group 'g2' has no active virtual service");
        assertThat(located(read("primary = 198.51.100.11\n" + GROUPS + virtual("web", "198.51.100.100", "g1")
                + virtual("mail", "198.51.100.101", "g2"))))
                .contains("lvs.cf:2:1: error: vip_group blocks need a backup director (backup_active = 1 and backup)")
                .contains("lvs.cf:7:12: error: vip_group 'g2': primary 198.51.100.12 is neither primary");
        assertThat(located(read(HEAD + GROUPS.replace("g2", "default") + virtual("web", "198.51.100.100", "g1"))))
                .contains("lvs.cf:9:1: error: vip_group 'default': 'default' names the pair's own heartbeat");
        assertThat(located(read(HEAD + "vip_group g1 {\n primary = 198.51.100.11\n heartbeat_port = 540\n server x {\n }\n}\n"
                + virtual("web", "198.51.100.100", "g1"))))
                .contains("lvs.cf:8:2: error: server block inside a vip_group block: a vip_group block holds keys only");
    }
}
