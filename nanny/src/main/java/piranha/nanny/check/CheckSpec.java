package piranha.nanny.check;

import piranha.lvscf.model.CheckKind;
import piranha.lvscf.model.StatusCodes;

/**
 * The {@code check} key and the keys of its kind, as lvsd read them from a virtual block (nulls for
 * what is unset). Part of the identity of a probe: two nannies with equal specs (and target,
 * deadline, interval) share one.
 */
public record CheckSpec(CheckKind kind, Http http, Tls tls, Dns dns, String smtpHelo, Script script) {

    /**
     * {@code http_method}, {@code http_path}, {@code http_host} (null: the real server's address), ...,
     * {@code http_keepalive} (one connection kept open across checks).
     */
    public record Http(String method, String path, String host, StatusCodes status, String expect, String digest,
                       int redirects, boolean keepAlive) {
        public static final Http DEFAULTS = new Http("GET", "/", null, StatusCodes.SUCCESS, null, null, 0);

        /** Without keep-alive, lvs.cf's default. */
        public Http(String method, String path, String host, StatusCodes status, String expect, String digest, int redirects) {
            this(method, path, host, status, expect, digest, redirects, false);
        }

        public Http withKeepAlive(boolean on) {
            return new Http(method, path, host, status, expect, digest, redirects, on);
        }
    }

    /** {@code tls_sni}, {@code tls_ca}, {@code tls_verify} (null: 1 with a CA file), client certificate and key. */
    public record Tls(String sni, String ca, Boolean verify, String cert, String key) {
        public static final Tls DEFAULTS = new Tls(null, null, null, null, null);

        public boolean verifies() {
            return verify != null ? verify : ca != null;
        }
    }

    /** {@code dns_name}, {@code dns_type}, {@code dns_expect}. */
    public record Dns(String name, String type, String expect) { }

    /** {@code check_script} and {@code check_script_user}. */
    public record Script(String command, String user) { }

    public CheckSpec {
        if (kind == null) {
            throw new IllegalArgumentException("check kind missing");
        }
        http = http == null ? Http.DEFAULTS : http;
        tls = tls == null ? Tls.DEFAULTS : tls;
        smtpHelo = smtpHelo == null ? "localhost" : smtpHelo;
        if (kind == CheckKind.DNS && (dns == null || dns.name() == null)) {
            throw new IllegalArgumentException("check = dns needs dns_name");
        }
        if (kind == CheckKind.SCRIPT && (script == null || script.command() == null)) {
            throw new IllegalArgumentException("check = script needs check_script");
        }
    }

    public static CheckSpec of(CheckKind kind) {
        return new CheckSpec(kind, null, null, null, null, null);
    }

    public CheckSpec withHttp(Http h) {
        return new CheckSpec(kind, h, tls, dns, smtpHelo, script);
    }

    public CheckSpec withTls(Tls t) {
        return new CheckSpec(kind, http, t, dns, smtpHelo, script);
    }

    public CheckSpec withDns(Dns d) {
        return new CheckSpec(kind, http, tls, d, smtpHelo, script);
    }

    public CheckSpec withSmtpHelo(String helo) {
        return new CheckSpec(kind, http, tls, dns, helo, script);
    }

    public CheckSpec withScript(Script s) {
        return new CheckSpec(kind, http, tls, dns, smtpHelo, s);
    }
}
