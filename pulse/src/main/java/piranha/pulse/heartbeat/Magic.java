package piranha.pulse.heartbeat;

/** Piranha's 4-byte heartbeat payloads (32-bit values sent in the sender's host byte order). */
public enum Magic {
    LVS_RUNNING(0xBDADDBDA),
    LVS_STOPPED(0xADBDDABD),
    FOS_RUNNING(0xBEEFBABE),
    FOS_STOPPED(0xDEADBEEF),
    FOS_TAKEOVER(0xDEADDADA),
    HOLD(0xDEAFBABE),
    HELD(0xDEAFDADA);

    public final int value;

    Magic(int value) {
        this.value = value;
    }

    /** The magic for a 32-bit value read in either byte order, or null. */
    public static Magic of(int value) {
        for (Magic m : values()) {
            if (m.value == value || m.value == Integer.reverseBytes(value)) return m;
        }
        return null;
    }
}
