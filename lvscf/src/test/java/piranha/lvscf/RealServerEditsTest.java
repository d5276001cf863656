package piranha.lvscf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import piranha.lvscf.model.RealServer;

class RealServerEditsTest {
    static final String CF = """
            serial_no = 4
            primary = 198.51.100.1
            # the web farm
            virtual web {
                 active = 1
                 address = 198.51.100.10 eth0:1
                 port = 80
                 server rs1 {
                     address = 198.51.100.21
                     active = 1
                     weight = 1
                 }
            }
            """;

    final LvsCfDocument doc = LvsCfDocument.parse("lvs.cf", CF);

    @Test
    void addsAnActiveServerAfterTheLastWithItsPortAndWeightKeepingTheRest() {
        LvsCfDocument d = RealServerEdits.addServer(doc, "web", "rs2", "198.51.100.22:8080", 3);
        RealServer rs2 = d.config().virtuals().get(0).servers().get(1);
        assertThat(rs2.name()).isEqualTo("rs2");
        assertThat(rs2.endpoint()).isEqualTo("198.51.100.22:8080");
        assertThat(rs2.weight()).isEqualTo(3);
        assertThat(rs2.active()).isTrue();
        // every line kept, up to and with rs1's closing brace, the new block after it
        assertThat(d.text()).startsWith(CF.substring(0, CF.indexOf("     }\n}") + 7) + "     server rs2 {\n");
        assertThat(RealServerEdits.addServer(doc, "web", "rs3", "198.51.100.23", null).config().virtuals().get(0)
                .servers().get(1).port()).isEqualTo(80);
    }

    @Test
    void setsTheWeightAndRemovesAServer() {
        assertThat(RealServerEdits.setWeight(doc, "-t 198.51.100.10:80", "rs1", 6).config().virtuals().get(0).servers().get(0)
                .weight()).isEqualTo(6);
        assertThat(RealServerEdits.setWeight(doc, "web", "rs1", 7).config().virtuals().get(0).servers().get(0).weight())
                .isEqualTo(7);
        LvsCfDocument d = RealServerEdits.removeServer(RealServerEdits.addServer(doc, "web", "rs2", "198.51.100.22", null),
                "web", "rs1");
        assertThat(d.config().virtuals().get(0).servers()).extracting(RealServer::name).containsExactly("rs2");
    }

    @Test
    void refusesWithTheReason() {
        assertThatThrownBy(() -> RealServerEdits.addServer(doc, "mail", "rs2", "198.51.100.22", null))
                .hasMessageContaining("no virtual service mail").hasMessageContaining("web");
        assertThatThrownBy(() -> RealServerEdits.addServer(doc, "web", "rs1", "198.51.100.22", null))
                .hasMessageContaining("already has a server rs1");
        assertThatThrownBy(() -> RealServerEdits.addServer(doc, "web", "rs2", "198.51.100.22:http-ish", null))
                .hasMessageContaining("refused").hasMessageContaining("lvs.cf:").hasMessageContaining("port");
        assertThatThrownBy(() -> RealServerEdits.addServer(doc, "web", "rs2", "not an address", null))
                .hasMessageContaining("address");
        assertThatThrownBy(() -> RealServerEdits.setWeight(doc, "web", "rs9", 2)).hasMessageContaining("no server rs9");
        assertThatThrownBy(() -> RealServerEdits.setWeight(doc, "web", "rs1", -5)).hasMessageContaining("weight");
    }

    @Test
    void splitsAddressesOfBothFamilies() {
        assertThat(RealServerEdits.split("[2001:db8::5]:443")).containsExactly("2001:db8::5", "443");
        assertThat(RealServerEdits.split("2001:db8::5")).containsExactly("2001:db8::5", null);
        assertThat(RealServerEdits.split("198.51.100.5")).containsExactly("198.51.100.5", null);
    }
}
