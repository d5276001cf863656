package piranha.lvsd;

import java.util.IdentityHashMap;
import java.util.Map;

import piranha.lvscf.model.Globals;
import piranha.lvscf.model.LvsConfig;
import piranha.lvscf.model.VirtualService;

/**
 * Plans each reading of lvs.cf. A block that a re-read took over unchanged is the same object
 * as before; its service is taken over from the plan before too, as long as the globals a
 * service depends on are the same, so a reload plans only the blocks that changed.
 */
final class Planner {
    private Globals basis;
    private Map<VirtualService, Plan.Service> byBlock = Map.of();

    Plan plan(LvsConfig config) {
        boolean reuse = basis != null && Plan.sameBasis(basis, config.globals());
        Map<VirtualService, Plan.Service> planned = new IdentityHashMap<>();
        Plan plan = Plan.from(config, reuse ? byBlock : Map.of(), planned);
        basis = config.globals();
        byBlock = planned;
        return plan;
    }
}
