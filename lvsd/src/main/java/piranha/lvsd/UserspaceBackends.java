package piranha.lvsd;

import java.util.Optional;

import io.vertx.core.Vertx;
import piranha.lvsd.backend.TableBackend;
import piranha.lvsd.backend.userspace.UserspaceBackend;
import piranha.lvsd.table.ServiceKey;

/** The user-space data plane as a table backend, told where each planned service listens. */
final class UserspaceBackends {
    private UserspaceBackends() {}

    static TableBackend create(Vertx vertx, java.util.function.Supplier<Plan> plan, boolean testStart) {
        return new UserspaceBackend(vertx, new UserspaceBackend.PlanLookup() {
            @Override
            public Optional<UserspaceBackend.Listen> listen(ServiceKey key) {
                Plan.Service s = plan.get().service(key);
                return s == null ? Optional.empty() : Optional.of(new UserspaceBackend.Listen(s.protocol(), s.vip(), s.port()));
            }

            @Override
            public Optional<String> sorryServer(ServiceKey key) {
                Plan.Service s = plan.get().service(key);
                return s == null ? Optional.empty() : s.sorryDestination().map(d -> d.endpoint());
            }
        }, testStart);
    }
}
