package piranha.pulse.state;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What keeps this director from activating by itself: Piranha's LINKFAIL (a watched NIC's link down)
 * and CHILDFAIL (lvsd failed here), a failed failover service of ours (fos) and failing tracked checks
 * (track). Pure bookkeeping with the log lines of each change; what a change means for an active
 * director (stand down, stay) is the machine's decision.
 */
final class Inhibitions {
    /** The first failure of a set of links or tracked checks, its healing, or neither. */
    enum Change { FAILED, HEALED, NONE }

    private boolean linkFail;
    private boolean childFail;
    /** A failover service of ours failed (fos): CHILDFAIL's twin, cleared when the partner carries them. */
    private boolean serviceFail;
    /** Tracked checks failing now (LVS mode's track): not eligible while any fails. */
    private Set<String> trackFailing = Set.of();
    private Set<String> linksDown = Set.of();

    /** monitor_links: the links down now (empty: all up). */
    Change links(Set<String> down, List<Action> out) {
        Set<String> sorted = new TreeSet<>(down);
        Change change = Change.NONE;
        if (!sorted.isEmpty() && !linkFail) {
            linkFail = true;
            for (String nic : sorted) out.add(new Action.Log(nic + " NIC: link down"));
            out.add(new Action.Log("Local NIC link failure: Pulse disabled"));
            change = Change.FAILED;
        } else if (sorted.isEmpty() && linkFail) {
            linkFail = false;
            out.add(new Action.Log("Local NIC link(s) restored: Pulse enabled"));
            change = Change.HEALED;
        }
        linksDown = Set.copyOf(sorted);
        return change;
    }

    /** track: the checks failing now (empty: all healthy). */
    Change tracked(Set<String> failing, List<Action> out) {
        Set<String> sorted = new TreeSet<>(failing);
        boolean wasFailing = !trackFailing.isEmpty();
        trackFailing = Set.copyOf(sorted);
        if (!sorted.isEmpty() && !wasFailing) {
            out.add(new Action.Warn("tracked check failed: " + String.join(", ", sorted)));
            return Change.FAILED;
        } else if (sorted.isEmpty() && wasFailing) {
            out.add(new Action.Log("tracked checks healthy"));
            return Change.HEALED;
        }
        return Change.NONE;
    }

    /** lvsd failed while a partner could take over: CHILDFAIL. */
    void childFailed() {
        childFail = true;
    }

    /** A failover service of ours failed, or the partner asked us to stand down (ours are unreachable from it). */
    void serviceFailed() {
        serviceFail = true;
    }

    /** Piranha: the partner carries the service; a new try is allowed later. */
    void partnerCarries() {
        childFail = false;
        serviceFail = false;
    }

    boolean inhibited() {
        return linkFail || childFail || !eligible();
    }

    boolean eligible() {
        return !serviceFail && trackFailing.isEmpty();
    }

    boolean linkFail() {
        return linkFail;
    }

    boolean childFail() {
        return childFail;
    }

    Set<String> trackFailing() {
        return trackFailing;
    }

    Set<String> linksDown() {
        return linksDown;
    }
}
