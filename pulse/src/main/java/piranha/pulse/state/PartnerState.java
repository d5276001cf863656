package piranha.pulse.state;

/** What we know of the partner. */
public enum PartnerState {
    UNKNOWN, RUNNING, STOPPED, DEAD, NONE
}
