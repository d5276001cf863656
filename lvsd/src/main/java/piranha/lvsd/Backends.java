package piranha.lvsd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

import io.vertx.core.Vertx;
import piranha.lvscf.model.Backend;
import piranha.lvscf.model.Globals;
import piranha.lvsd.backend.TableBackend;
import piranha.lvsd.backend.ipvsadm.IpvsadmBackend;

/** Picks the table backend: the option, else the {@code backend} key; auto looks for IPVS. */
final class Backends {
    private static final Logger LOG = Logger.getLogger("piranha.lvsd");
    static final Path IP_VS = Path.of("/proc/net/ip_vs");

    private Backends() {}

    static Backend choose(Backend option, Globals g) {
        Backend b = option != null ? option : g.backend();
        if (b == Backend.AUTO) {
            b = Files.exists(IP_VS) ? Backend.IPVSADM : Backend.USERSPACE;
            Backend picked = b;
            LOG.info(() -> "backend auto: " + (picked == Backend.IPVSADM ? IP_VS + " exists, using ipvsadm"
                    : "no " + IP_VS + " (no IPVS in this kernel), using the user-space data plane"));
        }
        return b;
    }

    static TableBackend create(Vertx vertx, Backend b, Globals g, java.util.function.Supplier<Plan> plan, boolean testStart) {
        return switch (b) {
            case IPVSADM -> new IpvsadmBackend(vertx, g.ipvsadm(), testStart);
            case USERSPACE -> UserspaceBackends.create(vertx, plan, testStart);
            case AUTO -> throw new IllegalArgumentException("choose() the backend first");
        };
    }
}
