package piranha.pulse.state;

/** What a heartbeat says about its sender. */
public enum PeerState {
    /** The sender is active (owns the addresses). */
    RUNNING,
    /** The sender is standby. */
    STOPPED,
    /**
     * The sender is standby and asks us to stand down (Piranha's 0xDEADDADA): its probe of our failover
     * services failed. It takes over at our "stopped".
     */
    STAND_DOWN
}
