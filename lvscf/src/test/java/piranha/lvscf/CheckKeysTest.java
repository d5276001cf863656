package piranha.lvscf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import piranha.lvscf.model.CheckKind;
import piranha.lvscf.model.StatusCodes;
import piranha.lvscf.model.VirtualService;

/** The health-check extension keys: how they read, and each mistake reported at its key. */
class CheckKeysTest {

    static LvsCfDocument read(String block) {
        return LvsCfDocument.parse("lvs.cf", "virtual web {\n active = 1\n address = 198.51.100.10 eth0:1\n"
                + block + " server a {\n  address = 198.51.100.21\n  active = 1\n }\n}\n", HostResolver.NUMERIC_ONLY);
    }

    static String located(LvsCfDocument doc) {
        return String.join("\n", doc.diagnostics().stream().map(Diagnostic::toString).toList());
    }

    @Test
    void anHttpsCheckReadsEveryKey() {
        LvsCfDocument doc = read(" check = https\n http_method = HEAD\n http_path = /health?full=1\n"
                + " http_host = www.example.com:8443\n http_status = 200-299,301\n http_expect = \"status: (ok|green)\"\n"
                + " http_redirects = 2\n tls_sni = www.example.com\n tls_ca = /etc/pki/ca.pem\n tls_cert = /etc/pki/c.pem\n"
                + " tls_key = /etc/pki/c.key\n");
        assertThat(doc.errors()).isEmpty();
        VirtualService v = doc.config().virtuals().get(0);
        assertThat(v.value("check")).isEqualTo(CheckKind.HTTPS);
        assertThat(v.value("http_method")).isEqualTo("HEAD");
        StatusCodes codes = (StatusCodes) v.value("http_status");
        assertThat(codes.accepts(204)).isTrue();
        assertThat(codes.accepts(301)).isTrue();
        assertThat(codes.accepts(302)).isFalse();
        assertThat(codes.toString()).isEqualTo("200-299,301");
        assertThat(v.value("http_expect")).isEqualTo("status: (ok|green)");
        assertThat(v.value("tls_verify")).isNull();
    }

    @Test
    void defaultsAreThoseOfKeepalivedsChecks() {
        VirtualService v = read(" check = http\n").config().virtuals().get(0);
        assertThat(v.value("http_method")).isEqualTo("GET");
        assertThat(v.value("http_path")).isEqualTo("/");
        assertThat(v.value("http_status")).isEqualTo(StatusCodes.SUCCESS);
        assertThat(v.value("http_redirects")).isEqualTo(0);
        assertThat(v.value("dns_type")).isEqualTo("A");
        assertThat(v.value("check_script_user")).isEqualTo("nobody");
    }

    @Test
    void badValuesAreLocatedAtTheirKey() {
        assertThat(located(read(" check = HTTP\n"))).contains(
                "lvs.cf:4:10: error: check: 'HTTP' is not valid: values are case-sensitive; did you mean 'http'?");
        assertThat(located(read(" check = http\n http_status = 200-199\n"))).contains(
                "lvs.cf:5:16: error: http_status: '200-199': the range ends before it starts");
        assertThat(located(read(" check = http\n http_status = 200,2x0\n"))).contains(
                "lvs.cf:5:16: error: http_status: '2x0' is not a status code (100 to 599) or a range such as 200-299");
        assertThat(located(read(" check = http\n http_status = 600\n"))).contains(
                "lvs.cf:5:16: error: http_status: '600': status codes go from 100 to 599");
        assertThat(located(read(" check = http\n http_expect = \"(unclosed\"\n"))).contains(
                "lvs.cf:5:16: error: http_expect: '(unclosed' is not a valid regular expression: Unclosed group");
        assertThat(located(read(" check = http\n http_digest = 12345\n"))).contains(
                "lvs.cf:5:16: error: http_digest: '12345' is not a digest: 32 hex digits (MD5) or 64 (SHA-256)");
        assertThat(located(read(" check = http\n http_path = health\n"))).contains(
                "lvs.cf:5:14: error: http_path: 'health' is not a request path starting with /");
        assertThat(located(read(" check = http\n http_method = get\n"))).contains(
                "lvs.cf:5:16: error: http_method: 'get' is not an HTTP method such as GET or HEAD: values are case-sensitive; did you mean 'GET'?");
        assertThat(located(read(" check = dns\n dns_name = www.example.com\n dns_type = PTR\n"))).contains(
                "lvs.cf:6:13: error: dns_type: 'PTR' is not one of A, AAAA, CNAME, MX, TXT, SOA, NS");
        assertThat(located(read(" check = dns\n dns_name = \"bad name\"\n"))).contains(
                "lvs.cf:5:13: error: dns_name: 'bad name' is not a DNS name such as www.example.com");
        assertThat(located(read(" check = script\n check_script = check.sh\n"))).contains(
                "lvs.cf:5:17: error: check_script: 'check.sh' is not a program by its absolute path");
        assertThat(located(read(" check = https\n tls_ca = ca.pem\n"))).contains(
                "lvs.cf:5:11: error: tls_ca: 'ca.pem' is not an absolute path");
    }

    @Test
    void whatAKindNeedsIsAnErrorAtCheck() {
        assertThat(located(read(" check = dns\n"))).contains(
                "lvs.cf:4:10: error: virtual 'web': check = dns needs dns_name, the name to ask for");
        assertThat(located(read(" check = script\n"))).contains(
                "lvs.cf:4:10: error: virtual 'web': check = script needs check_script, the program to run");
        assertThat(located(read(" protocol = udp\n check = http\n"))).contains(
                "lvs.cf:5:10: error: virtual 'web': check = http runs over TCP; the service has protocol = udp");
        assertThat(located(read(" check = dns\n dns_name = example.org\n protocol = udp\n")).lines()
                .filter(l -> l.contains("error"))).isEmpty();
    }

    @Test
    void contradictionsAreErrorsAndUnreadKeysWarnings() {
        assertThat(located(read(" check = http\n http_expect = ok\n http_digest = 0123456789abcdef0123456789abcdef\n")))
                .contains("lvs.cf:6:16: error: virtual 'web': set http_expect or http_digest, not both");
        assertThat(located(read(" check = https\n tls_cert = /etc/c.pem\n")))
                .contains("lvs.cf:5:13: error: virtual 'web': a client certificate needs both tls_cert and tls_key; tls_key is missing");
        assertThat(located(read(" check = script\n check_script = /bin/true\n check_script_user = root\n")))
                .contains("lvs.cf:6:22: error: virtual 'web': check_script_user must be an unprivileged user, never root");
        assertThat(located(read(" check = http\n tls_sni = a.example\n")))
                .contains("lvs.cf:5:12: warning: virtual 'web': tls_sni has no effect with check = http");
        assertThat(located(read(" http_path = /x\n")))
                .contains("lvs.cf:4:14: warning: virtual 'web': http_path has no effect without check = http or https");
        assertThat(located(read(" check = http\n send = \"GET /\"\n")))
                .contains("lvs.cf:5:9: warning: virtual 'web': check = http is used; send is ignored (it belongs to check = tcp)");
    }

    @Test
    void keepAliveIsOffUnlessAskedForAndReadOnlyByHttpChecks() {
        assertThat(read(" check = http\n").config().virtuals().get(0).value("http_keepalive")).isEqualTo(false);
        LvsCfDocument on = read(" check = https\n http_keepalive = 1\n");
        assertThat(on.errors()).isEmpty();
        assertThat(on.config().virtuals().get(0).value("http_keepalive")).isEqualTo(true);
        assertThat(located(read(" check = http\n http_keepalive = yes\n"))).contains("lvs.cf:5:19: error: http_keepalive: 'yes'");
        assertThat(located(read(" check = smtp\n http_keepalive = 1\n")))
                .contains("lvs.cf:5:19: warning: virtual 'web': http_keepalive has no effect with check = smtp");
    }

    @Test
    void editsWriteTheKeysBackAsTyped() {
        LvsCfDocument doc = read(" check = http\n");
        LvsCfDocument edited = doc.withVirtual(0, "http_status", "200,204").withVirtual(0, "http_path", "/healthz");
        assertThat(edited.errors()).isEmpty();
        assertThat(edited.text()).contains("http_status = 200,204").contains("http_path = /healthz");
        VirtualService v = LvsCfDocument.parse("lvs.cf", edited.text(), HostResolver.NUMERIC_ONLY).config().virtuals().get(0);
        assertThat(v.value("http_path")).isEqualTo("/healthz");
    }
}
