package piranha.pulse.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When a director announces each VIP and when it withdraws it, judged from lvsd's own status reply. */
class RouteHealthTest {
    static final ActiveActiveConfig.Vip WEB = vip("203.0.113.200", "web", "tls");
    static final ActiveActiveConfig.Vip DNS = vip("203.0.113.201", "dns");

    static ActiveActiveConfig.Vip vip(String a, String... services) {
        try {
            return new ActiveActiveConfig.Vip((Inet4Address) InetAddress.getByName(a), List.of(services));
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static JsonObject service(String name, String vip, boolean sorry, String... health) {
        JsonArray servers = new JsonArray();
        for (String h : health) servers.add(new JsonObject().put("health", h).put("in_table", !h.equals("down")));
        return new JsonObject().put("name", name).put("address", vip).put("sorry_active", sorry).put("servers", servers);
    }

    static JsonObject lvsd(boolean ready, JsonObject... services) {
        return new JsonObject().put("ready", ready).put("services", new JsonArray(List.of((Object[]) services)));
    }

    @Test
    void aVipIsAnnouncedWhileEveryServiceOnItHasARealServerUp() {
        var v = RouteHealth.judge(List.of(WEB, DNS), lvsd(true, service("web", "203.0.113.200", false, "up", "down"),
                service("tls", "203.0.113.200", false, "down", "up"), service("dns", "203.0.113.201", false, "up")), null, Set.of());
        assertThat(v).containsEntry(WEB, null).containsEntry(DNS, null);
    }

    @Test
    void aServiceWithoutRealServersWithdrawsItsVipOnly() {
        var v = RouteHealth.judge(List.of(WEB, DNS), lvsd(true, service("web", "203.0.113.200", false, "up"),
                service("tls", "203.0.113.200", false, "down", "unknown"), service("dns", "203.0.113.201", false, "up")), null, Set.of());
        assertThat(v).containsEntry(WEB, "virtual tls: no real server up").containsEntry(DNS, null);
    }

    @Test
    void aSorryServerInUseKeepsTheVip() {
        var v = RouteHealth.judge(List.of(DNS), lvsd(true, service("dns", "203.0.113.201", true, "down")), null, Set.of());
        assertThat(v).containsEntry(DNS, null);
    }

    @Test
    void lvsdNotReadyOrSilentWithdrawsEverything() {
        assertThat(RouteHealth.judge(List.of(WEB, DNS), lvsd(false), null, Set.of()))
                .containsEntry(WEB, "lvsd is not ready").containsEntry(DNS, "lvsd is not ready");
        assertThat(RouteHealth.judge(List.of(WEB), null, "Connection refused", Set.of()))
                .containsEntry(WEB, "lvsd does not answer: Connection refused");
        assertThat(RouteHealth.judge(List.of(DNS), lvsd(true), null, Set.of()))
                .containsEntry(DNS, "lvsd has no service on 203.0.113.201");
    }

    @Test
    void aWatchedLinkDownWithdrawsEverything() {
        var v = RouteHealth.judge(List.of(WEB), lvsd(true, service("web", "203.0.113.200", false, "up"),
                service("tls", "203.0.113.200", false, "up")), null, Set.of("link to 198.51.100.1"));
        assertThat(v).containsEntry(WEB, "link link to 198.51.100.1 down");
    }
}
