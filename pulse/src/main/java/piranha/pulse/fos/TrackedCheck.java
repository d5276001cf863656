package piranha.pulse.fos;

import java.util.Locale;

/**
 * One {@code track NAME { }} block: a check of the director itself. While it fails the director is not
 * eligible to be active.
 *
 * @param name     the block's name
 * @param probe    what is checked
 * @param target   the probe key's value: the command line, process name, ADDRESS:PORT or URL
 * @param interval seconds between checks
 * @param timeout  each check's deadline, seconds
 * @param fall     failed checks in a row that make it failing
 * @param rise     good checks in a row that make it passing again
 */
public record TrackedCheck(String name, Probe probe, String target, int interval, int timeout, int fall, int rise) {

    /** The probe keys of a track block. */
    public enum Probe {
        COMMAND, PROCESS, TCP, HTTP;

        /** The lvs.cf key. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Probe of(String key) {
            return valueOf(key.toUpperCase(Locale.ROOT));
        }
    }

    public TrackedCheck {
        if (interval < 1 || timeout < 1 || fall < 1 || rise < 1) {
            throw new IllegalArgumentException("track " + name + ": interval, timeout, fall and rise must be at least 1");
        }
    }

    /** "process haproxy", as logs and status name what is checked. */
    public String describe() {
        return probe.key() + " " + target;
    }
}
