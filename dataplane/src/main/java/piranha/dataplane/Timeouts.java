package piranha.dataplane;

/**
 * {@code ipvsadm --set TCP TCPFIN UDP} in seconds. As in ipvsadm, 0 leaves a value unchanged.
 * tcp: idle time of an established connection; tcpfin: idle time once one side has closed;
 * udp: idle time of a UDP flow.
 */
public record Timeouts(int tcp, int tcpfin, int udp) {
    /** The kernel's defaults (ipvsadm -l --timeout on a fresh IPVS). */
    public static final Timeouts IPVS_DEFAULTS = new Timeouts(900, 120, 300);

    public Timeouts {
        if (tcp < 0 || tcpfin < 0 || udp < 0) {
            throw new IllegalArgumentException("timeouts must be >= 0 (0 = unchanged), got " + tcp + " " + tcpfin + " " + udp);
        }
    }

    /** This set applied on top of {@code current} with ipvsadm's 0-means-unchanged rule. */
    public Timeouts over(Timeouts current) {
        return new Timeouts(
                tcp == 0 ? current.tcp : tcp, tcpfin == 0 ? current.tcpfin : tcpfin, udp == 0 ? current.udp : udp);
    }
}
