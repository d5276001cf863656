package piranha.lvsd;

import java.util.Optional;

import io.vertx.core.Vertx;
import piranha.lvsd.backend.TableBackend;
import piranha.lvsd.backend.userspace.UserspaceBackend;
import piranha.dataplane.Addresses;
import piranha.dataplane.Protocol;
import piranha.dataplane.ServiceKey;

/** The user-space data plane as a table backend, told where each planned service listens. */
final class UserspaceBackends {
    private UserspaceBackends() {}

    static TableBackend create(Vertx vertx, java.util.function.Supplier<Plan> plan, boolean testStart) {
        return new UserspaceBackend(vertx, new UserspaceBackend.PlanLookup() {
            @Override
            public Optional<ServiceKey> listen(ServiceKey key) {
                Plan.Service s = plan.get().service(key);
                if (s == null) {
                    return Optional.empty();
                }
                if (!key.isFwmark()) {
                    return Optional.of(key);
                }
                Protocol p = s.protocol() == piranha.lvscf.model.Protocol.UDP ? Protocol.UDP : Protocol.TCP;
                return Optional.of(new ServiceKey(p, Addresses.parseAddress(s.vip()), s.port()));
            }

            @Override
            public Optional<String> sorryServer(ServiceKey key) {
                Plan.Service s = plan.get().service(key);
                return s == null ? Optional.empty() : s.sorryDestination().map(d -> d.endpoint());
            }
        }, testStart);
    }
}
