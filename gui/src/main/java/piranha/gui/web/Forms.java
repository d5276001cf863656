package piranha.gui.web;

import static piranha.lvscf.keys.Scope.GLOBAL;
import static piranha.lvscf.keys.Scope.SERVER;
import static piranha.lvscf.keys.Scope.VIRTUAL;

import java.util.List;

import piranha.gui.config.Field;

/** The fields of each editing page: Piranha's, with its labels, plus the extension keys. */
public final class Forms {
    private Forms() {}

    public static final List<Field> GLOBAL_SETTINGS = List.of(
            Field.of(GLOBAL, "primary", "Primary server public IP"),
            Field.of(GLOBAL, "primary_private", "Primary server private IP"),
            Field.of(GLOBAL, "service", "Service type"),
            Field.of(GLOBAL, "network", "Use network type"),
            Field.of(GLOBAL, "nat_router", "NAT Router IP and device"),
            Field.of(GLOBAL, "nat_nmask", "NAT Router netmask"),
            Field.of(GLOBAL, "tcp_timeout", "TCP timeout"),
            Field.of(GLOBAL, "tcpfin_timeout", "TCP FIN timeout"),
            Field.of(GLOBAL, "udp_timeout", "UDP timeout"),
            Field.of(GLOBAL, "backend", "Table backend"),
            Field.of(GLOBAL, "active_cmd", "Command when becoming active"),
            Field.of(GLOBAL, "inactive_cmd", "Command when becoming inactive"),
            Field.of(GLOBAL, "rsh_command", "Remote shell for load monitoring"),
            Field.of(GLOBAL, "hard_shutdown", "Hard shutdown"),
            Field.of(GLOBAL, "ipvsadm", "Path of ipvsadm"));

    public static final List<Field> REDUNDANCY = List.of(
            Field.of(GLOBAL, "backup_active", "Redundancy enabled"),
            Field.of(GLOBAL, "backup", "Redundant server public IP"),
            Field.of(GLOBAL, "backup_private", "Redundant server private IP"),
            Field.of(GLOBAL, "keepalive", "Heartbeat Interval (seconds)"),
            Field.of(GLOBAL, "deadtime", "Assume dead after (seconds)"),
            Field.of(GLOBAL, "heartbeat_port", "Heartbeat runs on port"),
            Field.of(GLOBAL, "monitor_links", "Monitor NIC links for failures"),
            Field.of(GLOBAL, "syncdaemon", "Use sync daemon"),
            Field.of(GLOBAL, "syncd_iface", "Sync daemon interface"),
            Field.of(GLOBAL, "syncd_id", "Sync daemon id"));

    public static final List<Field> VIRTUAL_SERVER = List.of(
            Field.name("Name", "Name of the virtual service: one word, no blanks, quotes, braces or '#'."),
            Field.of(VIRTUAL, "port", "Application port"),
            Field.of(VIRTUAL, "protocol", "Protocol"),
            Field.of(VIRTUAL, "address", "Virtual IP Address and Device"),
            Field.of(VIRTUAL, "vip_nmask", "Virtual IP Network Mask"),
            Field.of(VIRTUAL, "sorry_server", "Sorry Server"),
            Field.of(VIRTUAL, "fwmark", "Firewall Mark"),
            Field.of(VIRTUAL, "reentry", "Re-entry Time"),
            Field.of(VIRTUAL, "timeout", "Service Timeout"),
            Field.of(VIRTUAL, "quiesce_server", "Quiesce server"),
            Field.of(VIRTUAL, "load_monitor", "Load monitoring tool"),
            Field.of(VIRTUAL, "scheduler", "Scheduling"),
            Field.of(VIRTUAL, "persistent", "Persistence"),
            Field.of(VIRTUAL, "pmask", "Persistence Network Mask"),
            Field.of(VIRTUAL, "active", "Active"));

    public static final List<Field> MONITORING_SCRIPTS = List.of(
            Field.of(VIRTUAL, "send_program", "Sending Program"),
            Field.of(VIRTUAL, "send", "Send"),
            Field.of(VIRTUAL, "expect", "Expect"),
            Field.of(VIRTUAL, "use_regex", "Treat expect string as a regular expression"),
            Field.of(VIRTUAL, "check", "Check kind"),
            Field.of(VIRTUAL, "interval", "Check interval"),
            Field.of(VIRTUAL, "fall", "Failed checks before removal"),
            Field.of(VIRTUAL, "rise", "Good checks before return"),
            Field.of(VIRTUAL, "http_method", "HTTP method"),
            Field.of(VIRTUAL, "http_path", "HTTP path"),
            Field.of(VIRTUAL, "http_host", "HTTP Host header"),
            Field.of(VIRTUAL, "http_status", "Expected HTTP status codes"),
            Field.of(VIRTUAL, "http_expect", "Expected body (regular expression)"),
            Field.of(VIRTUAL, "http_digest", "Body digest (MD5 or SHA-256)"),
            Field.of(VIRTUAL, "http_redirects", "Redirects to follow"),
            Field.of(VIRTUAL, "http_keepalive", "Keep the connection open between checks"),
            Field.of(VIRTUAL, "tls_sni", "TLS server name (SNI)"),
            Field.of(VIRTUAL, "tls_ca", "TLS CA file"),
            Field.of(VIRTUAL, "tls_verify", "Verify the certificate"),
            Field.of(VIRTUAL, "tls_cert", "TLS client certificate"),
            Field.of(VIRTUAL, "tls_key", "TLS client key"),
            Field.of(VIRTUAL, "dns_name", "DNS name"),
            Field.of(VIRTUAL, "dns_type", "DNS record type"),
            Field.of(VIRTUAL, "dns_expect", "Expected DNS answer (regular expression)"),
            Field.of(VIRTUAL, "smtp_helo", "SMTP EHLO name"),
            Field.of(VIRTUAL, "check_script", "Check script (exit 0 up, 1 down, 2-255 weight + 2)"),
            Field.of(VIRTUAL, "check_script_user", "Check script user"));

    public static final List<Field> REAL_SERVER = List.of(
            Field.name("Name", "Name of the real server: one word, no blanks, quotes, braces or '#'."),
            Field.of(SERVER, "address", "Address"),
            Field.of(SERVER, "port", "Port"),
            Field.of(SERVER, "weight", "Weight"),
            Field.of(SERVER, "active", "Active"));

    /** Piranha's FAILOVER page (service = fos), plus the netmask, protocol and the fall extension. */
    public static final List<Field> FAILOVER_SERVICE = List.of(
            Field.name("Name", "Name of the failover service: one word, no blanks, quotes, braces or '#'."),
            Field.of(VIRTUAL, "port", "Application port"),
            Field.of(VIRTUAL, "protocol", "Protocol"),
            Field.of(VIRTUAL, "address", "Virtual IP Address and Device"),
            Field.of(VIRTUAL, "vip_nmask", "Virtual IP Network Mask"),
            Field.of(VIRTUAL, "timeout", "Service Timeout"),
            Field.of(VIRTUAL, "fall", "Failed checks before handing over"),
            Field.of(VIRTUAL, "send", "Send"),
            Field.of(VIRTUAL, "expect", "Expect"),
            Field.of(VIRTUAL, "use_regex", "Treat expect string as a regular expression"),
            Field.of(VIRTUAL, "start_cmd", "Start command"),
            Field.of(VIRTUAL, "stop_cmd", "Stop command"),
            Field.of(VIRTUAL, "active", "Active"));
}
