package piranha.lvsd.table;

import piranha.lvscf.model.Scheduler;

/**
 * A virtual service's settings in the table: its scheduler and persistence. {@code pmask} is null
 * when there is none (persistence per client address).
 */
public record ServiceSpec(ServiceKey key, Scheduler scheduler, int persistent, String pmask) {

    /** The options after the service in {@code ipvsadm -A/-E}: {@code -s wlc [-p 60 [-M 255.255.255.0]]}. */
    public String ipvsadmOptions() {
        StringBuilder sb = new StringBuilder("-s ").append(scheduler.keyword());
        if (persistent > 0) {
            sb.append(" -p ").append(persistent);
            if (pmask != null) {
                sb.append(" -M ").append(pmask);
            }
        }
        return sb.toString();
    }
}
