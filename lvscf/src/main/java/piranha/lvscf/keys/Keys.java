package piranha.lvscf.keys;

import static piranha.lvscf.keys.Effect.EXTENSION;
import static piranha.lvscf.keys.Effect.GUI_ARTIFACT;
import static piranha.lvscf.keys.Effect.IGNORED;
import static piranha.lvscf.keys.Effect.LEGACY;
import static piranha.lvscf.keys.Effect.USED;
import static piranha.lvscf.keys.Scope.GLOBAL;
import static piranha.lvscf.keys.Scope.SERVER;
import static piranha.lvscf.keys.Scope.VIRTUAL;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import piranha.lvscf.model.Backend;
import piranha.lvscf.model.CheckKind;
import piranha.lvscf.model.ConflictAction;
import piranha.lvscf.model.DirectorMode;
import piranha.lvscf.model.Host;
import piranha.lvscf.model.Listen;
import piranha.lvscf.model.Network;
import piranha.lvscf.model.Protocol;
import piranha.lvscf.model.Scheduler;
import piranha.lvscf.model.ServiceMode;
import piranha.lvscf.model.StatusCodes;
import piranha.lvscf.model.Values;

/**
 * Every lvs.cf keyword this implementation knows, in the canonical order Piranha's GUI wrote them
 * (reference §2.7), which is also where the writer inserts a key that a file did not have yet.
 * Extension keys come last in their scope and are listed in lvscf/README.md.
 */
public final class Keys {
    private static final Map<Scope, Map<String, Key>> BY_SCOPE = new LinkedHashMap<>();

    /**
     * The event kinds a {@code notify_KIND} program can be given: pulse's (director, link,
     * failover_service, lvsd, reload) and lvsd's (real_server, operator, reload); each daemon runs
     * the programs of its own events.
     */
    public static final List<String> NOTIFY_KINDS = List.of("director", "link", "failover_service", "lvsd", "real_server",
            "operator", "reload");

    static {
        // ------------------------------------------------------------------ global
        g("serial_no", ValueType.INT, 0, USED, "Edit counter, bumped once per saved change; the daemons ignore it.");
        g("primary", ValueType.HOST, null, USED, "Public IP of the primary director; a host holding it runs as primary.");
        g("primary_private", ValueType.HOST, null, USED, "Primary's private heartbeat IP (defaults to primary).");
        g("primary_shared", ValueType.STRING, null, LEGACY, "Shared SCSI device of the primary (legacy FOS).");
        g("service", ValueType.enumeration(ServiceMode.class), ServiceMode.LVS, USED, "lvs (virtual blocks) or fos (legacy failover blocks).");
        g("rsh_command", ValueType.STRING, "rsh", USED, "rsh or ssh: how load_monitor = uptime reaches a real server.");
        g("backup_active", ValueType.BOOL, false, USED, "1 when a backup director exists: heartbeats are exchanged.");
        g("backup", ValueType.HOST_OR_ZERO, null, USED, "Public IP of the backup director.");
        g("backup_private", ValueType.HOST, null, USED, "Backup's private heartbeat IP (defaults to backup).");
        g("backup_shared", ValueType.STRING, null, LEGACY, "Shared SCSI device of the backup (legacy FOS).");
        g("heartbeat", ValueType.BOOL, null, IGNORED, "Ignored, as in Piranha: backup_active decides whether heartbeats run.");
        g("heartbeat_port", ValueType.PORT, 539, USED, "UDP port of the heartbeat, the same on both directors and paths.");
        g("keepalive", ValueType.SECONDS, Duration.ofSeconds(2), USED, "Seconds between heartbeats (fractions such as 0.1 are an extension).");
        g("deadtime", ValueType.SECONDS, Duration.ofSeconds(5), USED, "Seconds without a heartbeat before the partner is declared dead.");
        g("network", ValueType.enumeration(Network.class), Network.NAT, USED, "Forwarding method of every real server: nat, direct or tunnel.");
        g("nat_router", ValueType.ADDRESS_DEVICE, null, USED, "Floating gateway IP and device for NAT real servers, e.g. 10.0.0.254 eth1:1.");
        g("nat_nmask", ValueType.MASK, null, USED, "Netmask of nat_router (0.0.0.0: unspecified).");
        g("reservation_conflict_action", ValueType.enumeration(ConflictAction.class), null, LEGACY, "Shared-SCSI policy (legacy FOS).");
        g("debug_level", ValueType.STRING, null, IGNORED, "Ignored, as in Piranha.");
        g("active_cmd", ValueType.STRING, null, USED, "Program run when this director becomes active (absolute path, no shell).");
        g("inactive_cmd", ValueType.STRING, null, USED, "Program run when this director becomes inactive (absolute path, no shell).");
        g("monitor_links", ValueType.INT, 0, USED, "Non-zero: a heartbeat interface losing its link deactivates this director.");
        g("syncdaemon", ValueType.BOOL, false, USED, "Run the kernel's IPVS connection-sync daemon (ipvsadm backend).");
        g("syncd_iface", ValueType.STRING, "eth0", USED, "Multicast interface of the sync daemon.");
        g("syncd_id", ValueType.INT, 0, USED, "Sync daemon id (0 to 255).");
        g("tcp_timeout", ValueType.NON_NEGATIVE, 0, USED, "IPVS TCP session timeout in seconds (0: leave the kernel's).");
        g("tcpfin_timeout", ValueType.NON_NEGATIVE, 0, USED, "IPVS TCP timeout after FIN in seconds (0: leave the kernel's).");
        g("udp_timeout", ValueType.NON_NEGATIVE, 0, USED, "IPVS UDP timeout in seconds (0: leave the kernel's).");
        g("hard_shutdown", ValueType.BOOL, true, USED, "Kept for compatibility: a failing nanny never takes the director down here.");
        g("ipvsadm", ValueType.STRING, "/sbin/ipvsadm", USED, "Path of the ipvsadm binary.");
        g("sync", ValueType.BOOL, null, IGNORED, "Ignored, as in Piranha (legacy file sync).");
        g("backend", ValueType.enumeration(Backend.class), Backend.AUTO, EXTENSION,
                "lvsd's table backend: auto (ipvsadm when the kernel has IPVS, else userspace), ipvsadm, or userspace.");
        g("heartbeat_key_file", ValueType.STRING, null, EXTENSION,
                "File (mode 0600) with the key that signs heartbeats (HMAC-SHA256); unset: Piranha's unsigned heartbeat.");
        g("giveback_delay", ValueType.SECONDS, null, EXTENSION,
                "A returning primary takes the addresses back after the backup has been active this long; unset: never (Piranha).");
        g("garp_count", ValueType.NON_NEGATIVE, 5, EXTENSION, "Gratuitous ARPs sent per address at activation and re-announce.");
        g("garp_interval", ValueType.SECONDS, Duration.ofSeconds(1), EXTENSION, "Time between gratuitous ARPs (the first goes at once).");
        g("hook_timeout", ValueType.SECONDS, Duration.ofSeconds(30), EXTENSION, "active_cmd and inactive_cmd are killed after this long.");
        g("script_user", ValueType.USER_NAME, null, EXTENSION,
                "User that active_cmd, inactive_cmd, send_program and load_monitor run as (unset: root, refused when unsafe).");
        g("lvsd_ready_timeout", ValueType.SECONDS, Duration.ofSeconds(30), EXTENSION, "How long activation waits for lvsd to be ready.");
        g("lvsd_warm_standby", ValueType.BOOL, true, EXTENSION,
                "1 (default): lvsd runs on the standby too, so a takeover only moves addresses (real servers are checked"
                        + " from both); 0: Piranha's cold standby, lvsd started at takeover.");
        g("pulse_metrics", ValueType.LISTEN, new Listen("127.0.0.1", 9539), EXTENSION,
                "Where pulse serves Prometheus metrics (/metrics): off, PORT (on 127.0.0.1) or ADDRESS:PORT.");
        g("lvsd_metrics", ValueType.LISTEN, new Listen("127.0.0.1", 9540), EXTENSION,
                "Where lvsd serves Prometheus metrics (/metrics): off, PORT (on 127.0.0.1) or ADDRESS:PORT.");
        g("drain_timeout", ValueType.SECONDS, Duration.ofSeconds(30), EXTENSION,
                "A real server a reload removes stays at weight 0 until its connections end, at most this long.");
        g("config_sync", ValueType.BOOL, false, EXTENSION,
                "1: the active director pushes lvs.cf to the partner (over the heartbeat key's channel) after each reload it applies.");
        for (String kind : NOTIFY_KINDS) {
            g("notify_" + kind, ValueType.STRING, null, EXTENSION, "Program run (no shell, as script_user) with each '" + kind
                    + "' event as one JSON line on its stdin, one at a time in order, killed after notify_timeout.");
        }
        g("notify_timeout", ValueType.SECONDS, Duration.ofSeconds(10), EXTENSION, "A notify_ program is killed after this long.");

        g("director_mode", ValueType.enumeration(DirectorMode.class), DirectorMode.PAIR, EXTENSION,
                "pair (default): Piranha's primary and backup; active_active: every director runs lvsd for all VIPs and"
                        + " announces them with BGP through BIRD while healthy (an ECMP router spreads the flows).");
        g("bgp_local_as", ValueType.AS_NUMBER, null, EXTENSION, "active_active: the directors' AS number.");
        g("bgp_peer_as", ValueType.AS_NUMBER, null, EXTENSION, "active_active: the router's AS number (the same as bgp_local_as: iBGP).");
        g("bgp_neighbor", ValueType.ADDRESS_LIST, null, EXTENSION,
                "active_active: the router(s) the VIP routes are announced to: an address or [ address address ... ].");
        g("bgp_router_id", ValueType.HOST, null, EXTENSION,
                "active_active: BGP router id of this director (default: the address it reaches the first neighbour from).");
        g("bgp_hold_time", ValueType.integer(3, 65535), 3, EXTENSION,
                "active_active: BGP hold time in seconds: a director that dies silently loses its routes after this long.");
        g("bgp_device", ValueType.STRING, "lo", EXTENSION,
                "active_active: device the VIPs are added on (as /32, never answered by ARP), instead of the virtual blocks' devices.");
        g("bird_config", ValueType.STRING, "/run/piranha/bird.conf", EXTENSION,
                "active_active: the BIRD configuration pulse writes (and BIRD reads).");
        g("bird_socket", ValueType.STRING, "/run/piranha/bird.ctl", EXTENSION,
                "active_active: control socket of the BIRD that pulse starts (birdc -s).");
        g("director_peers", ValueType.ADDRESS_LIST, null, EXTENSION,
                "active_active: every director's address, this one's included: a packet of a TCP connection this"
                        + " director never saw (the router moved it here) is handed along the live directors until the one"
                        + " that holds the connection takes it (nftables; pulse heartbeats the peers on heartbeat_port).");

        // ------------------------------------------------------------------ virtual / failover
        v("active", ValueType.BOOL, false, USED, "1: this virtual service is in use. Services are inactive unless set.");
        v("address", ValueType.ADDRESS_DEVICE, null, USED, "Virtual IP and the device (an alias such as eth0:1) it is added on.");
        v("sorry_server", ValueType.ANY_IP, null, USED, "Real server used while none of the service's real servers is up.");
        v("vip_nmask", ValueType.MASK, null, USED, "Netmask of the virtual IP (0.0.0.0: unspecified).");
        v("fwmark", ValueType.NON_NEGATIVE, 0, USED, "Non-zero: the IPVS service is this firewall mark instead of VIP:port.");
        v("port", ValueType.PORT, 80, USED, "Virtual port; also the port of every real server declared after it without its own.");
        v("persistent", ValueType.NON_NEGATIVE, 0, USED, "Seconds a client sticks to its real server (0: no persistence).");
        v("pmask", ValueType.MASK, null, USED, "Netmask grouping clients for persistence (255.255.255.255: none).");
        v("send", ValueType.STRING, null, USED, "String sent to each real server by the check (\\r \\n \\t escapes).");
        v("expect", ValueType.STRING, null, USED, "Expected reply (a regular expression with use_regex = 1; * = any byte).");
        v("use_regex", ValueType.BOOL, false, USED, "1: expect is a regular expression.");
        v("send_program", ValueType.STRING, null, USED, "Check program run instead of send (%h = real server IP, %p = port).");
        v("expect_program", ValueType.STRING, null, GUI_ARTIFACT, "Written by some Piranha GUI builds; ignored.");
        v("load_monitor", ValueType.STRING, "none", USED, "none, rup, ruptime, uptime or a command: weight from the real server's load.");
        v("scheduler", ValueType.enumeration(Scheduler.class), Scheduler.WLC, USED, "IPVS scheduler: rr, wrr, lc, wlc, lblc, lblcr, dh, sh (sed, nq: extension).");
        v("deadtime", ValueType.SECONDS, null, GUI_ARTIFACT, "Written inside blocks by some Piranha GUI builds; ignored there.");
        v("heartbeat", ValueType.BOOL, null, GUI_ARTIFACT, "Written inside blocks by some Piranha GUI builds; ignored there.");
        v("protocol", ValueType.enumeration(Protocol.class), Protocol.TCP, USED, "tcp or udp.");
        v("timeout", ValueType.INT, 10, USED, "Seconds between checks of each real server, and each check's deadline.");
        v("reentry", ValueType.NON_NEGATIVE, 180, USED, "Seconds of good checks before a failed real server returns (reentry / timeout checks).");
        v("quiesce_server", ValueType.BOOL, false, USED, "1: a failed real server goes to weight 0 instead of being removed.");
        v("interval", ValueType.integer(1, 86_400), null, EXTENSION, "Seconds between checks (default: timeout, as Piranha).");
        v("fall", ValueType.integer(1, 1000), 1, EXTENSION, "Consecutive failed checks that take a real server out (Piranha: 1).");
        v("rise", ValueType.integer(0, 100_000), null, EXTENSION, "Consecutive good checks that bring a failed real server back (default: reentry / timeout).");
        v("check", ValueType.enumeration(CheckKind.class), null, EXTENSION,
                "Health check kind: tcp, http, https, dns, smtp or script (default: Piranha's choice from send_program, send and expect).");
        v("http_method", CheckValueTypes.HTTP_METHOD, "GET", EXTENSION, "Request method of http and https checks.");
        v("http_path", CheckValueTypes.HTTP_PATH, "/", EXTENSION, "Request path of http and https checks.");
        v("http_host", CheckValueTypes.HTTP_HOST, null, EXTENSION, "Host header of http and https checks (default: the real server's address).");
        v("http_status", CheckValueTypes.STATUS_CODES, StatusCodes.SUCCESS, EXTENSION, "Status codes that pass, e.g. 200-299,301.");
        v("http_expect", CheckValueTypes.REGEX, null, EXTENSION, "Regular expression the response body must contain (first 64 KiB).");
        v("mh_fallback", ValueType.BOOL, false, EXTENSION, "scheduler = mh: 1 looks on through the lookup table when the chosen real server is quiesced or overloaded (ipvsadm -b mh-fallback).");
        v("mh_port", ValueType.BOOL, false, EXTENSION, "scheduler = mh: 1 hashes the client's source port with its address (ipvsadm -b mh-port).");
        v("http_digest", CheckValueTypes.DIGEST, null, EXTENSION, "MD5 or SHA-256 of the whole response body (as keepalived's genhash prints it).");
        v("http_redirects", ValueType.integer(0, 10), 0, EXTENSION, "Redirects followed to the same real server (0: a 3xx is judged as it is).");
        v("http_keepalive", ValueType.BOOL, false, EXTENSION, "1: http and https checks keep their connection open between checks (HTTP/1.1 keep-alive; default 0: a new connection per check).");
        v("tls_sni", CheckValueTypes.DNS_NAME, null, EXTENSION, "Server name sent in the TLS handshake of https checks (default: the name of http_host, if any).");
        v("tls_ca", CheckValueTypes.ABSOLUTE_PATH, null, EXTENSION, "PEM file of the CAs that https checks trust (implies tls_verify = 1).");
        v("tls_verify", ValueType.BOOL, null, EXTENSION, "1: https checks fail on a certificate that is untrusted, expired or for another name (default: 1 with tls_ca, else 0).");
        v("tls_cert", CheckValueTypes.ABSOLUTE_PATH, null, EXTENSION, "PEM client certificate that https checks present (with tls_key).");
        v("tls_key", CheckValueTypes.ABSOLUTE_PATH, null, EXTENSION, "PEM private key of tls_cert.");
        v("dns_name", CheckValueTypes.DNS_NAME, null, EXTENSION, "Name that dns checks ask the real server for.");
        v("dns_type", CheckValueTypes.DNS_TYPE, "A", EXTENSION, "Record type that dns checks ask for.");
        v("dns_expect", CheckValueTypes.REGEX, null, EXTENSION, "Regular expression one answer record must match (default: any answer of the type).");
        v("smtp_helo", CheckValueTypes.DNS_NAME, "localhost", EXTENSION, "Name smtp checks give in EHLO.");
        v("check_script", CheckValueTypes.COMMAND, null, EXTENSION,
                "Program of script checks (%h = real server IP, %p = port): exit 0 up, 1 down, 2-255 up at weight status - 2.");
        v("check_script_user", CheckValueTypes.USER, "nobody", EXTENSION, "User check_script runs as when lvsd runs as root.");
        v("vip_group", ValueType.STRING, null, EXTENSION,
                "Name of the vip_group block whose heartbeat moves this service's VIP (default: the pair's own heartbeat).");
        v("client_monitor", ValueType.STRING, null, LEGACY, "Piranha's per-server monitor program; nannies run inside lvsd here.");
        v("start_cmd", ValueType.STRING, null, USED, "FOS only: command starting the local service (split on blanks, no shell; pulse supervises it).");
        v("stop_cmd", ValueType.STRING, null, USED, "FOS only: command stopping the local service (split on blanks, no shell).");
        v("master", ValueType.HOST, null, LEGACY, "Legacy file-mirroring key.");
        v("dirs", ValueType.LIST, null, LEGACY, "Legacy file-mirroring key.");

        // ------------------------------------------------------------------ server
        s("address", ValueType.HOST, new Host("0.0.0.0", Values.ipv4(0)), USED, "Real server IP.");
        s("nmask", ValueType.MASK, null, GUI_ARTIFACT, "Written by some Piranha GUI builds; ignored.");
        s("active", ValueType.BOOL, false, USED, "1: this real server is checked and used.");
        s("port", ValueType.integer(0, 65535), null, USED, "Real server port (default: the virtual port at this point of the file).");
        s("weight", ValueType.NON_NEGATIVE, 1, USED, "Relative capacity; 0 is raised to 1 as Piranha did.");

        // ------------------------------------------------------------------ track (extension)
        t("command", CheckValueTypes.COMMAND, null, EXTENSION,
                "Program by its absolute path, then its arguments (no shell): the check passes when it exits 0 within timeout.");
        t("process", TrackValueTypes.PROCESS_NAME, null, EXTENSION,
                "Process name (as pidof matches it): the check passes while such a process runs.");
        t("tcp", TrackValueTypes.ENDPOINT, null, EXTENSION, "ADDRESS:PORT: the check passes when a TCP connection to it is accepted.");
        t("http", TrackValueTypes.URL, null, EXTENSION, "http:// or https:// URL: the check passes on a 2xx answer.");
        t("interval", ValueType.integer(1, 86_400), 2, EXTENSION, "Seconds between checks.");
        t("timeout", ValueType.integer(1, 86_400), null, EXTENSION, "Seconds each check may take (default: interval).");
        t("fall", ValueType.integer(1, 1000), 1, EXTENSION, "Consecutive failed checks that make the director ineligible.");
        t("rise", ValueType.integer(1, 1000), 1, EXTENSION, "Consecutive good checks that make it eligible again.");

        // ------------------------------------------------------------------ vip_group (extension)
        add(Scope.VIP_GROUP, "primary", ValueType.HOST, null, EXTENSION,
                "The director (primary or backup, by its public address) that carries this group's VIPs while it can.");
        add(Scope.VIP_GROUP, "heartbeat_port", ValueType.PORT, null, EXTENSION,
                "UDP port of this group's heartbeat, apart from heartbeat_port and every other group's.");
    }

    private Keys() {}

    private static void add(Scope scope, String name, ValueType type, Object dflt, Effect effect, String help) {
        BY_SCOPE.computeIfAbsent(scope, s -> new LinkedHashMap<>())
                .put(name, new Key(name, scope, type, dflt, effect, help));
    }

    private static void g(String n, ValueType t, Object d, Effect e, String h) {
        add(GLOBAL, n, t, d, e, h);
    }

    private static void v(String n, ValueType t, Object d, Effect e, String h) {
        add(VIRTUAL, n, t, d, e, h);
    }

    private static void s(String n, ValueType t, Object d, Effect e, String h) {
        add(SERVER, n, t, d, e, h);
    }

    private static void t(String n, ValueType t, Object d, Effect e, String h) {
        add(Scope.TRACK, n, t, d, e, h);
    }

    /** The key of that name in that scope, or null. */
    public static Key lookup(Scope scope, String name) {
        return BY_SCOPE.get(scope).get(name);
    }

    /** Every key of a scope, in canonical order. */
    public static List<Key> all(Scope scope) {
        return List.copyOf(BY_SCOPE.get(scope).values());
    }

    /** The scopes where a name is a key, for "valid only inside a server block" hints. */
    public static List<Scope> scopesOf(String name) {
        List<Scope> found = new ArrayList<>();
        for (Map.Entry<Scope, Map<String, Key>> e : BY_SCOPE.entrySet()) {
            if (e.getValue().containsKey(name)) {
                found.add(e.getKey());
            }
        }
        return Collections.unmodifiableList(found);
    }

    /** Position of a key in its scope's canonical order; unknown names sort last. */
    public static int rank(Scope scope, String name) {
        int i = 0;
        for (String k : BY_SCOPE.get(scope).keySet()) {
            if (k.equals(name)) {
                return i;
            }
            i++;
        }
        return Integer.MAX_VALUE;
    }
}
