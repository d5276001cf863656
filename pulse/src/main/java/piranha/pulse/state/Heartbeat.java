package piranha.pulse.state;

/**
 * A heartbeat accepted from the partner.
 *
 * @param state         running or stopped
 * @param claimsPrimary the sender's own role, or null when the format does not carry it (Piranha's)
 * @param node          the sender's node id (its public IPv4 address as an int), or 0 when not carried
 */
public record Heartbeat(PeerState state, Boolean claimsPrimary, int node) {}
