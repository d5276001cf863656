package piranha.lvscf.model;

/** Legacy FOS shared-SCSI policy ({@code reservation_conflict_action}); parsed, not acted on. */
public enum ConflictAction {
    NOTHING, PREEMPT;

    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
