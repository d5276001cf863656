package piranha.nanny.check;

import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The TLS side of {@code check = https}: the name sent as SNI ({@code tls_sni}, else the name in
 * {@code http_host}; none for an address), the trust and client certificate of {@code tls_ca},
 * {@code tls_verify}, {@code tls_cert} and {@code tls_key} (made on the first run and kept), the
 * words of a failed handshake, and the end of validity of the server's certificate.
 */
final class HttpsHandshake {
    private final CheckSpec.Tls tls;
    private final Duration timeout;
    private ClientSSLOptions sslOptions;

    HttpsHandshake(CheckSpec spec, Duration timeout) {
        String sni = spec.tls().sni() != null ? spec.tls().sni() : nameOf(spec.http().host());
        this.tls = new CheckSpec.Tls(sni, spec.tls().ca(), spec.tls().verify(), spec.tls().cert(), spec.tls().key());
        this.timeout = timeout;
    }

    /** The host name of a Host header value, or null for an address (SNI carries names only). */
    static String nameOf(String host) {
        if (host == null || host.startsWith("[")) {
            return null;
        }
        String h = host.replaceFirst(":[0-9]+$", "");
        return h.matches("[0-9.]+") ? null : h;
    }

    /**
     * Makes the TLS options on the first run (reading the files takes time: once, not per check);
     * returns the failed result when {@code tls_ca} cannot be used, else null.
     */
    CheckResult prepare(long start) {
        if (sslOptions == null) {
            try {
                sslOptions = TlsTrust.options(tls, timeout);
            } catch (IOException e) {
                return CheckResult.fail("cannot use tls_ca " + tls.ca() + ": " + e.getMessage(), start)
                        .with(CheckResult.Detail.NONE);
            }
        }
        return null;
    }

    /** Asks {@code o} for TLS with these options and the SNI name, if any. */
    void apply(ConnectOptions o) {
        o.setSsl(true).setSslOptions(sslOptions);
        if (tls.sni() != null) {
            o.setSniServerName(tls.sni());
        }
    }

    /**
     * What failed in a handshake, or null when the connect itself failed (refused, timed out): those
     * keep the words and Piranha log lines of a TCP check.
     */
    static String failure(Throwable cause) {
        String refused = TlsTrust.refusal(cause);
        if (refused != null) {
            return refused;
        }
        if (!TcpFailures.isTimeout(cause) && !String.valueOf(cause.getMessage()).contains("refused")) {
            return TcpFailures.message(cause);
        }
        return null;
    }

    /** The end of validity of the server's own certificate, or null when it showed none. */
    static Instant certificateEnd(NetSocket s) {
        try {
            List<Certificate> chain = s.peerCertificates();
            if (!chain.isEmpty() && chain.get(0) instanceof X509Certificate x) {
                return x.getNotAfter().toInstant();
            }
        } catch (Exception e) {
            // no certificate to show
        }
        return null;
    }
}
