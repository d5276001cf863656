package piranha.nanny.check;

import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS side of an https check: the client options (SNI is set per connection), the CAs it trusts
 * ({@code tls_ca}, or the JDK's with {@code tls_verify = 1} alone), and a client certificate. A
 * certificate that is refused is named in the reason: subject, issuer, validity and why.
 */
final class TlsTrust {
    private TlsTrust() {}

    /** A refused server certificate, with an operator's description of it. */
    static final class Refused extends CertificateException {
        Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The options for one check; reads the CA file, so call it off the event loop or accept one small
     * read.
     *
     * @throws IOException when tls_ca cannot be read or holds no certificate
     */
    static ClientSSLOptions options(CheckSpec.Tls tls, Duration timeout) throws IOException {
        ClientSSLOptions o = new ClientSSLOptions()
                .setSslHandshakeTimeout(timeout.toMillis()).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
        if (tls.verifies()) {
            // The name is checked here against tls_sni (Vert.x would check the address connected to);
            // an address alone has no name to check.
            o.setTrustOptions(TrustOptions.wrap(new Naming(delegate(tls.ca()), tls.ca(), tls.sni())))
                    .setHostnameVerificationAlgorithm("");
        } else {
            o.setTrustAll(true).setHostnameVerificationAlgorithm("");
        }
        if (tls.cert() != null) {
            o.setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.cert()).setKeyPath(tls.key()));
        }
        return o;
    }

    private static X509ExtendedTrustManager delegate(String caFile) throws IOException {
        try {
            KeyStore store = null;
            if (caFile != null) {
                store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                int n = 0;
                try (InputStream in = Files.newInputStream(Path.of(caFile))) {
                    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        store.setCertificateEntry("ca" + n++, c);
                    }
                }
                if (n == 0) {
                    throw new IOException("no certificate in " + caFile);
                }
            }
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(store);
            for (TrustManager tm : f.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return x;
                }
            }
            throw new IOException("no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read " + caFile + ": " + e.getMessage(), e);
        }
    }

    /** "certificate 'CN=www' issued by 'CN=CA', valid until 2027-01-01T00:00:00Z". */
    static String describe(X509Certificate c) {
        return "certificate '" + c.getSubjectX500Principal().getName() + "' issued by '"
                + c.getIssuerX500Principal().getName() + "', valid until " + c.getNotAfter().toInstant();
    }

    /** The server's certificate when the handshake failed on it, as the trust manager described it. */
    static String refusal(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof Refused r) {
                return r.getMessage();
            }
        }
        return null;
    }

    /** The DNS names of a certificate (subject alternative names, else its CN). */
    static java.util.List<String> names(X509Certificate c) {
        java.util.List<String> out = new java.util.ArrayList<>();
        try {
            if (c.getSubjectAlternativeNames() != null) {
                for (java.util.List<?> san : c.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        out.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            // no usable names: the CN below
        }
        if (out.isEmpty()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:^|,)CN=([^,]+)")
                    .matcher(c.getSubjectX500Principal().getName());
            if (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** RFC 6125 matching: case-insensitive, a wildcard only as the whole leftmost label. */
    static boolean holds(X509Certificate c, String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT).replaceFirst("\\.$", "");
        for (String pattern : names(c)) {
            String p = pattern.toLowerCase(java.util.Locale.ROOT);
            if (p.equals(n)) {
                return true;
            }
            if (p.startsWith("*.") && n.indexOf('.') > 0 && n.substring(n.indexOf('.')).equals(p.substring(1))) {
                return true;
            }
        }
        return false;
    }

    /** Checks as the JDK does, and says which certificate it refused and why. */
    private static final class Naming extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;
        private final String trusted;
        private final String name;

        Naming(X509ExtendedTrustManager delegate, String caFile, String name) {
            this.delegate = delegate;
            this.trusted = caFile == null ? "the JDK's CAs" : caFile;
            this.name = name;
        }

        private void judge(X509Certificate[] chain, Check check) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new Refused("no server certificate", null);
            }
            X509Certificate leaf = chain[0];
            Instant now = Instant.now();
            if (now.isAfter(leaf.getNotAfter().toInstant())) {
                throw new Refused(describe(leaf) + ": expired", null);
            }
            if (now.isBefore(leaf.getNotBefore().toInstant())) {
                throw new Refused(describe(leaf) + ": not valid before " + leaf.getNotBefore().toInstant(), null);
            }
            try {
                check.run();
            } catch (CertificateException e) {
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                if (why.contains("PKIX path") || why.contains("unable to find valid certification path")) {
                    why = "not trusted by " + trusted;
                }
                throw new Refused(describe(leaf) + ": " + why, e);
            }
            if (name != null && !holds(leaf, name)) {
                throw new Refused(describe(leaf) + ": not for " + name + " (names: " + String.join(", ", names(leaf)) + ")", null);
            }
        }

        private interface Check {
            void run() throws CertificateException;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            judge(chain, () -> delegate.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            judge(chain, () -> delegate.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            judge(chain, () -> delegate.checkServerTrusted(chain, authType));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }

}
