package piranha.journey;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import piranha.daemon.testing.RequiredTools;

/**
 * Active-active directors behind an ECMP router, as an operator would run them: the lab of
 * pulse/bench/active-active.sh in network namespaces (aa-*): a router running BIRD (merge paths,
 * fib_multipath_hash_policy = 1), three directors each running bin/pulse with director_mode =
 * active_active, the lvsd it starts (user-space plane, scheduler sh) and the BIRD it supervises, two
 * real servers naming themselves and the director, a client with 40 source addresses keeping 24
 * flows open. Flow hand-over (director_peers) passes a connection the router moves between two
 * staying directors back to the one that opened it. The script's --check holds the acceptance (also: BIRD killed alone, its status line and its
 * restart; a director that cannot reach its real servers withdraws and returns); here each
 * scenario's figures are read too.
 */
class ActiveActiveJourneyTest {

    @Test
    void threeDirectorsShareTheFlowsAndLoseOneWithoutHarmingTheOthers() throws Exception {
        RequiredTools.root("network namespaces");
        RequiredTools.program("iproute2", "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip");
        RequiredTools.program("bird2", "/usr/sbin/bird", "/usr/bin/bird");
        Command.Result r = Command.run(List.of(Checkout.ROOT.resolve("pulse/bench/active-active.sh").toString(), "--check"),
                Map.of(), Duration.ofMinutes(20));
        System.out.println(r.out());
        System.err.println(r.err());
        Map<String, JsonObject> scenarios = new LinkedHashMap<>();
        for (String line : r.out().split("\n")) {
            if (line.startsWith("{\"scenario\"")) {
                JsonObject j = new JsonObject(line);
                scenarios.put(j.getString("scenario"), j.getJsonObject("result"));
            }
        }
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(scenarios).containsOnlyKeys("baseline", "sigterm", "kill9-pulse", "kill9-director", "freeze-director",
                "bird-dies");
        JsonObject baseline = scenarios.get("baseline");
        assertThat(baseline.getJsonObject("directors").size()).as("directors carrying traffic").isEqualTo(3);
        assertThat(baseline.getInteger("errors")).isZero();
        assertThat(baseline.getJsonObject("inconsistent_sources")).isEmpty();
        for (JsonObject s : scenarios.values()) {
            assertThat(s.getJsonObject("inconsistent_sources")).as("one real server per source, whichever director").isEmpty();
        }
        // SIGTERM: the route goes within one keepalive (1 s); kill -9 and a frozen director within keepalive + hold time (3 s)
        assertThat(scenarios.get("sigterm").getDouble("route_changed_after_s")).isLessThanOrEqualTo(1.0);
        assertThat(scenarios.get("kill9-director").getDouble("route_changed_after_s")).isLessThanOrEqualTo(4.0);
        assertThat(scenarios.get("freeze-director").getDouble("route_changed_after_s")).isLessThanOrEqualTo(4.5);
        for (String name : List.of("sigterm", "kill9-pulse", "kill9-director", "freeze-director", "bird-dies")) {
            assertThat(scenarios.get(name).getInteger("errors_away_from_route_changes")).as(name).isZero();
            // director_peers: a flow the router moves between two staying directors is handed back to its own
            assertThat(scenarios.get(name).getInteger("errors_on_survivors")).as(name + ": errors on staying directors").isZero();
        }
    }
}
