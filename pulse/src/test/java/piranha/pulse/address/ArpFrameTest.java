package piranha.pulse.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ArpFrameTest {
    static final byte[] MAC = HexFormat.of().parseHex("020000000011");

    @Test
    void piranhaSendArpFrameIsAReplyWithSenderEqualTarget() throws Exception {
        Inet4Address vip = (Inet4Address) InetAddress.getByName("198.51.100.100");
        byte[] f = ArpFrame.piranhaReply(vip, MAC, ArpFrame.BROADCAST);
        assertThat(f).hasSize(60);
        assertThat(HexFormat.of().formatHex(f, 0, 42)).isEqualTo(
                "ffffffffffff" + "020000000011" + "0806"
                        + "0001" + "0800" + "06" + "04" + "0002"
                        + "020000000011" + "c6336464" + "020000000011" + "c6336464");
    }

    @Test
    void announcementIsABroadcastRequestForOurOwnAddress() throws Exception {
        Inet4Address vip = (Inet4Address) InetAddress.getByName("198.51.100.100");
        byte[] f = ArpFrame.announcement(vip, MAC);
        assertThat(HexFormat.of().formatHex(f, 0, 42)).isEqualTo(
                "ffffffffffff" + "020000000011" + "0806" + "0001" + "0800" + "06" + "04" + "0001"
                        + "020000000011" + "c6336464" + "000000000000" + "c6336464");
    }

    @Test
    void macsWithOrWithoutColons() {
        assertThat(ArpFrame.parseMac("02:00:00:00:00:11")).isEqualTo(MAC);
        assertThat(ArpFrame.parseMac("020000000011")).isEqualTo(MAC);
        assertThat(ArpFrame.parseMac("FFFFFFFFFFFF")).isEqualTo(ArpFrame.BROADCAST);
        assertThatThrownBy(() -> ArpFrame.parseMac("0200000000")).hasMessageContaining("bad hardware address");
        assertThatThrownBy(() -> ArpFrame.parseMac("02000000001g")).hasMessageContaining("bad hardware address");
    }
}
