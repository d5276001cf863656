package piranha.dataplane;

/** Transport protocol of a virtual service, as ipvsadm's {@code -t} / {@code -u}. */
public enum Protocol {
    TCP,
    UDP;

    /** Parses lvs.cf's {@code protocol} value ({@code tcp} or {@code udp}). */
    public static Protocol parse(String s) {
        if (s == null) throw new IllegalArgumentException("protocol missing (expected tcp or udp)");
        switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "tcp": return TCP;
            case "udp": return UDP;
            default: throw new IllegalArgumentException("unknown protocol '" + s + "' (expected tcp or udp)");
        }
    }
}
