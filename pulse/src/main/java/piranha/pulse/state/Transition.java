package piranha.pulse.state;

/** A change between standby and active, kept for the status report. */
public record Transition(long atNanos, boolean active, String reason) {}
