package piranha.pulse.state;

/** What a heartbeat says about its sender. */
public enum PeerState {
    /** The sender is active (owns the addresses). */
    RUNNING,
    /** The sender is standby. */
    STOPPED
}
