package piranha.lvscf;

import java.util.List;
import java.util.Map;
import java.util.Set;

import piranha.lvscf.model.CheckKind;
import piranha.lvscf.model.Protocol;
import piranha.lvscf.model.VirtualService;

/**
 * The checks across the health-check keys of one service: what a kind needs, keys that a kind
 * does not read, and pairs that contradict each other. Severities are listed in lvscf/README.md.
 */
final class CheckRules {
    private CheckRules() {}

    /** Reports one finding at the position of {@code key}. */
    interface Report {
        void at(VirtualService v, String key, String message);
    }

    /** The extension keys each kind reads (the legacy keys send, expect, send_program aside). */
    private static final Map<String, Set<CheckKind>> READ_BY = Map.ofEntries(
            Map.entry("http_method", Set.of(CheckKind.HTTP, CheckKind.HTTPS)),
            Map.entry("http_path", Set.of(CheckKind.HTTP, CheckKind.HTTPS)),
            Map.entry("http_host", Set.of(CheckKind.HTTP, CheckKind.HTTPS)),
            Map.entry("http_status", Set.of(CheckKind.HTTP, CheckKind.HTTPS)),
            Map.entry("http_expect", Set.of(CheckKind.HTTP, CheckKind.HTTPS)),
            Map.entry("http_digest", Set.of(CheckKind.HTTP, CheckKind.HTTPS)),
            Map.entry("http_redirects", Set.of(CheckKind.HTTP, CheckKind.HTTPS)),
            Map.entry("http_keepalive", Set.of(CheckKind.HTTP, CheckKind.HTTPS)),
            Map.entry("tls_sni", Set.of(CheckKind.HTTPS)),
            Map.entry("tls_ca", Set.of(CheckKind.HTTPS)),
            Map.entry("tls_verify", Set.of(CheckKind.HTTPS)),
            Map.entry("tls_cert", Set.of(CheckKind.HTTPS)),
            Map.entry("tls_key", Set.of(CheckKind.HTTPS)),
            Map.entry("dns_name", Set.of(CheckKind.DNS)),
            Map.entry("dns_type", Set.of(CheckKind.DNS)),
            Map.entry("dns_expect", Set.of(CheckKind.DNS)),
            Map.entry("smtp_helo", Set.of(CheckKind.SMTP)),
            Map.entry("check_script", Set.of(CheckKind.SCRIPT)),
            Map.entry("check_script_user", Set.of(CheckKind.SCRIPT)));

    private static final List<String> ORDER = List.of("http_method", "http_path", "http_host", "http_status",
            "http_expect", "http_digest", "http_redirects", "http_keepalive", "tls_sni", "tls_ca", "tls_verify", "tls_cert", "tls_key",
            "dns_name", "dns_type", "dns_expect", "smtp_helo", "check_script", "check_script_user");

    static void service(VirtualService v, String name, Report error, Report warn) {
        CheckKind kind = v.isSet("check") ? (CheckKind) v.value("check") : null;
        for (String key : ORDER) {
            Set<CheckKind> readers = READ_BY.get(key);
            if (v.isSet(key) && (kind == null || !readers.contains(kind))) {
                warn.at(v, key, name + ": " + key + " has no effect " + (kind == null
                        ? "without check = " + kinds(readers) : "with check = " + kind.keyword()));
            }
        }
        if (kind == null) {
            return;
        }
        String is = name + ": check = " + kind.keyword();
        if (kind.overTcp() && v.protocol() == Protocol.UDP) {
            error.at(v, "check", is + " runs over TCP; the service has protocol = udp");
        }
        if (kind == CheckKind.DNS && !v.isSet("dns_name")) {
            error.at(v, "check", is + " needs dns_name, the name to ask for");
        }
        if (kind == CheckKind.SCRIPT && !v.isSet("check_script")) {
            error.at(v, "check", is + " needs check_script, the program to run");
        }
        if (v.isSet("send_program") && kind != CheckKind.SCRIPT) {
            warn.at(v, "send_program", is + " is used; send_program is ignored");
        }
        if (v.isSet("send_program") && kind == CheckKind.SCRIPT) {
            warn.at(v, "send_program", is + " runs check_script; send_program is ignored");
        }
        if (kind != CheckKind.TCP) {
            for (String key : List.of("send", "expect")) {
                if (v.isSet(key)) {
                    warn.at(v, key, is + " is used; " + key + " is ignored (it belongs to check = tcp)");
                }
            }
        }
        if (kind == CheckKind.HTTP || kind == CheckKind.HTTPS) {
            if (v.isSet("http_expect") && v.isSet("http_digest")) {
                error.at(v, "http_digest", name + ": set http_expect or http_digest, not both");
            }
        }
        if (kind == CheckKind.HTTPS) {
            if (v.isSet("tls_cert") != v.isSet("tls_key")) {
                String missing = v.isSet("tls_cert") ? "tls_key" : "tls_cert";
                error.at(v, v.isSet("tls_cert") ? "tls_cert" : "tls_key", name + ": a client certificate needs both tls_cert and tls_key; "
                        + missing + " is missing");
            }
            if (v.isSet("tls_ca") && v.isSet("tls_verify") && !(Boolean) v.value("tls_verify")) {
                warn.at(v, "tls_ca", name + ": tls_ca has no effect with tls_verify = 0");
            }
        }
        if (kind == CheckKind.SCRIPT && v.isSet("check_script_user")) {
            String user = (String) v.value("check_script_user");
            if (user.equals("root") || user.matches("0+")) {
                error.at(v, "check_script_user", name + ": check_script_user must be an unprivileged user, never root");
            }
        }
    }

    private static String kinds(Set<CheckKind> readers) {
        return readers.size() == 1 ? readers.iterator().next().keyword() : "http or https";
    }
}
