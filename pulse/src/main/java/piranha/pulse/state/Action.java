package piranha.pulse.state;

/** What the state machine asks the daemon to do, in order. */
public sealed interface Action {

    /** One of Piranha's key log lines (INFO), exact wording. */
    record Log(String message) implements Action {}

    /** A misconfiguration or anomaly the operator must see (WARNING). */
    record Warn(String message) implements Action {}

    /** Take over: active_cmd, lvsd, sync daemon as master, addresses, gratuitous ARP. */
    record Activate() implements Action {}

    /**
     * Stand down: inactive_cmd, sync daemon as backup, remove addresses; then stop lvsd, or, with
     * {@code lvsdStaysReady} (the warm standby), leave it running and start it if it is not.
     */
    record Deactivate(boolean lvsdStaysReady) implements Action {}

    /**
     * lvsd died and no partner can take over: start it again after {@code delay}, staying active
     * (Piranha went standby with CHILDFAIL and stayed so until pulse was restarted). Also a warm
     * standby's lvsd that died, so that the next takeover finds it ready again.
     */
    record RestartLvsd(java.time.Duration delay) implements Action {}

    /** Tell the partner our (new) state now instead of at the next keepalive. */
    record SendHeartbeat() implements Action {}

    /** Both were active and we stay: run active_cmd again and re-send gratuitous ARPs at once. */
    record Reannounce() implements Action {}

    /** Leave the process with this status once the actions before it are done. */
    record Exit(int status) implements Action {}

    /**
     * Ask the partner to stand down (Piranha's 0xDEADDADA heartbeat): we take over when it answers
     * "stopped", so two directors never own the addresses at once.
     */
    record RequestStandDown() implements Action {}
}
