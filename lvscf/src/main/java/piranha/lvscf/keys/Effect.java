package piranha.lvscf.keys;

/** What a key does, which decides whether setting it earns a warning. */
public enum Effect {
    /** Read and acted on. */
    USED,
    /** Parsed and ignored, as in Piranha ({@code heartbeat}, {@code debug_level}, {@code sync}). */
    IGNORED,
    /** Legacy FOS, shared-SCSI or file-mirroring keys; parsed, not acted on by this implementation. */
    LEGACY,
    /** Keys some Piranha GUI builds wrote that Piranha's daemons rejected; tolerated and ignored. */
    GUI_ARTIFACT,
    /** Not in Piranha: an extension of this implementation, documented in lvscf/README.md. */
    EXTENSION
}
