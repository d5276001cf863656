package piranha.nanny;

/** Operator override of a nanny, as Piranha's SIGUSR1 / SIGUSR2 / SIGHUP. */
public enum Mode {
    /** Checks decide (SIGHUP: back to automatic). */
    AUTO,
    /** Out of the table, checks stopped (SIGUSR1). */
    FORCED_DOWN,
    /** In the table at its configured weight, checks stopped (SIGUSR2). */
    FORCED_UP
}
