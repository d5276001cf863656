package piranha.nanny.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates made by the tests that use them: CAs, servers (valid or expired), clients, as PEM files. */
public final class TestCerts {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A certificate and its key, written as PEM files. */
    public record Issued(X509Certificate cert, PrivateKey key, Path certFile, Path keyFile) { }

    private TestCerts() {}

    public static Issued ca(Path dir, String name) throws Exception {
        KeyPair kp = keys();
        X500Name subject = new X500Name("CN=" + name);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), date(Duration.ofDays(-1)),
                date(Duration.ofDays(30)), subject, kp.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        return write(dir, name, sign(b, kp.getPrivate()), kp.getPrivate());
    }

    /** A certificate for {@code dnsName} (and 127.0.0.1) signed by {@code ca}, valid from {@code from} to {@code to}. */
    public static Issued leaf(Path dir, String file, String dnsName, Issued ca, Duration from, Duration to) throws Exception {
        KeyPair kp = keys();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                new X500Name(ca.cert().getSubjectX500Principal().getName()), serial(), date(from), date(to),
                new X500Name("CN=" + dnsName), kp.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, dnsName), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        return write(dir, file, sign(b, ca.key()), kp.getPrivate());
    }

    public static Issued leaf(Path dir, String file, String dnsName, Issued ca) throws Exception {
        return leaf(dir, file, dnsName, ca, Duration.ofDays(-1), Duration.ofDays(10));
    }

    private static KeyPair keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static Date date(Duration fromNow) {
        return Date.from(Instant.now().plus(fromNow));
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws Exception {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }

    private static Issued write(Path dir, String name, X509Certificate cert, PrivateKey key) throws IOException {
        Path c = dir.resolve(name + ".crt");
        Path k = dir.resolve(name + ".key");
        Files.writeString(c, pem(cert));
        Files.writeString(k, pem(key));
        return new Issued(cert, key, c, k);
    }

    private static String pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o instanceof PrivateKey k ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null) : o);
        }
        return w.toString();
    }
}
