package piranha.lvsd;

import io.vertx.core.Vertx;
import piranha.lvscf.model.Globals;
import piranha.lvsd.backend.TableBackend;

/** The user-space data plane as a table backend. */
final class UserspaceBackends {
    private UserspaceBackends() {}

    static TableBackend create(Vertx vertx, Globals g, boolean testStart) {
        throw new IllegalStateException("the user-space data plane is not part of this build; use --backend=ipvsadm");
    }
}
