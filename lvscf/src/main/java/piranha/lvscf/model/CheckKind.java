package piranha.lvscf.model;

/**
 * The {@code check} extension key: which health check the real servers of a service get. Unset,
 * Piranha's own choice applies (send_program, UDP, the port-80 probe, send/expect, connect).
 */
public enum CheckKind {
    /** connect, or send/expect when {@code send} or {@code expect} is set; never the port-80 probe */
    TCP,
    HTTP,
    HTTPS,
    DNS,
    SMTP,
    /** {@code check_script}, whose exit status also sets the weight (keepalived's misc_dynamic) */
    SCRIPT;

    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether the kind speaks over a TCP connection to the real server's port. */
    public boolean overTcp() {
        return this == TCP || this == HTTP || this == HTTPS || this == SMTP;
    }
}
