package piranha.pulse.heartbeat;

/** Why a received datagram was not taken as a heartbeat. Each has its own counter. */
public enum Rejection {
    /** Wrong length for the format in use (Piranha: "bad heartbeat packet"). */
    TRUNCATED("bad heartbeat packet"),
    /** Unknown magic or version (Piranha: FOS magic at an LVS node). */
    INCOMPATIBLE("Incompatible heartbeat received -- other system not using identical services"),
    /** A Piranha 4-byte heartbeat while a key is set. */
    UNAUTHENTICATED("unauthenticated heartbeat ignored (a heartbeat key is set)"),
    /** An authenticated heartbeat made with another key, or one received while no key is set. */
    WRONG_KEY("heartbeat signed with a different key"),
    /** Right key id, wrong HMAC: altered or forged. */
    FORGED("heartbeat with a bad signature (forged or altered)"),
    /** Sequence number already seen or too old, or an older epoch. */
    REPLAYED("replayed heartbeat"),
    /** Not from one of the partner's addresses. */
    WRONG_SOURCE("heartbeat from an unexpected address"),
    /** Signed, but naming a node that is not the partner (e.g. our own packets). */
    WRONG_NODE("heartbeat naming an unexpected node"),
    /** Piranha's hold/held magics: accepted by Piranha and then ignored. */
    IGNORED("hold/held heartbeat ignored");

    public final String message;

    Rejection(String message) {
        this.message = message;
    }
}
