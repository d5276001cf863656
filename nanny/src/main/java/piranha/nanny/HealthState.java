package piranha.nanny;

/** Where a real server stands in its virtual service. */
public enum HealthState {
    /** In the table with a positive weight. */
    UP,
    /** Not in the table (never entered, failed, or forced down). */
    DOWN,
    /** {@code quiesce_server = 1} after a failure: kept in the table with weight 0. */
    QUIESCED
}
