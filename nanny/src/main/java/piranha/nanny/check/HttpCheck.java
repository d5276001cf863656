package piranha.nanny.check;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code check = http} and {@code check = https}: one HTTP/1.1 request (method, path, Host header,
 * {@code Connection: close}) and the response judged by its status code ({@code http_status}), then,
 * if asked, by a regular expression searched in the body's first 64 KiB ({@code http_expect}) or the
 * digest of the whole body ({@code http_digest}, MD5 or SHA-256). Redirects are judged like any
 * status unless {@code http_redirects} allows following them to the same real server. Over TLS the
 * handshake sends {@code tls_sni}, checks the certificate against {@code tls_ca} when verifying, and
 * may present a client certificate; the certificate's end of validity goes into the result.
 *
 * <p>One deadline, {@code timeout}, covers connect, handshake, request, headers and body of every
 * hop: a server that trickles a byte a second is cut off at it. The connection is closed with a
 * reset once the check has decided; with {@code http_keepalive = 1} a connection whose response was
 * read to its end (and that the server did not close) is kept for the next check instead, and a kept
 * connection the server closed meanwhile is replaced by a new one within the same deadline.
 */
public final class HttpCheck implements Check {
    private final Vertx vertx;
    private final NetClient client;
    private final Target target;
    private final CheckSpec.Http http;
    private final CheckSpec.Tls tls;
    private final boolean https;
    private final Duration timeout;
    private final Pattern expect;
    private final String sni;
    private final boolean keepAlive;
    /** The request of the first hop, encoded once: most checks send nothing else. */
    private final Buffer request;
    private final String targetText;
    private ClientSSLOptions sslOptions;
    /** The reason of the last plain pass, reused while the server answers the same: no string per check. */
    private volatile PassWords passWords;

    private record PassWords(int code, String phrase, String reason) { }
    /**
     * Keep-alive: the context every run and the kept connection live on (the first run's; a shared
     * probe may be run from another nanny's context), the connection kept between runs and the end of
     * validity of its certificate. Touched only on {@code home}.
     */
    private volatile Context home;
    private NetSocket idle;
    private Instant idleNotAfter;

    public HttpCheck(Vertx vertx, NetClient client, Target target, CheckSpec spec, Duration timeout) {
        this.vertx = vertx;
        this.client = client;
        this.target = target;
        this.http = spec.http();
        this.https = spec.kind() == piranha.lvscf.model.CheckKind.HTTPS;
        this.timeout = timeout;
        this.expect = http.expect() == null ? null : Pattern.compile(http.expect());
        String name = spec.tls().sni() != null ? spec.tls().sni() : nameOf(http.host());
        this.sni = https ? name : null;
        this.tls = new CheckSpec.Tls(sni, spec.tls().ca(), spec.tls().verify(), spec.tls().cert(), spec.tls().key());
        this.keepAlive = http.keepAlive();
        this.targetText = target.toString();
        this.request = Buffer.buffer(request(http.path(), http.host() != null ? http.host() : defaultHost()));
    }

    /** The host name of a Host header value, or null for an address. */
    static String nameOf(String host) {
        if (host == null || host.startsWith("[")) {
            return null;
        }
        String h = host.replaceFirst(":[0-9]+$", "");
        return h.matches("[0-9.]+") ? null : h;
    }

    @Override
    public Future<CheckResult> run() {
        long start = System.nanoTime();
        if (https && sslOptions == null) {
            try {
                sslOptions = TlsTrust.options(tls, timeout);
            } catch (IOException e) {
                return Future.succeededFuture(CheckResult.fail("cannot use tls_ca " + tls.ca() + ": " + e.getMessage(), start)
                        .with(CheckResult.Detail.NONE));
            }
        }
        if (!keepAlive) {
            return new Attempt(start).begin();
        }
        Context here = vertx.getOrCreateContext();
        if (home == null) {
            home = here;
        }
        if (here == home) {
            return new Attempt(start).begin();
        }
        Promise<CheckResult> p = Promise.promise();
        home.runOnContext(v -> new Attempt(start).begin().onComplete(p));
        return p.future();
    }

    @Override
    public void close() {
        Context c = home;
        if (c != null) {
            c.runOnContext(v -> {
                NetSocket s = idle;
                idle = null;
                if (s != null) {
                    s.close();
                }
            });
        }
    }

    private String request(String path, String host) {
        StringBuilder r = new StringBuilder(128);
        r.append(http.method()).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host)
                .append("\r\nUser-Agent: piranha-nanny\r\nAccept: */*\r\nConnection: ")
                .append(keepAlive ? "keep-alive" : "close").append("\r\n");
        if (http.method().equals("POST") || http.method().equals("PUT")) {
            r.append("Content-Length: 0\r\n");
        }
        return r.append("\r\n").toString();
    }

    private String defaultHost() {
        String h = target.host().indexOf(':') >= 0 ? "[" + target.host() + "]" : target.host();
        int standard = https ? 443 : 80;
        return target.port() == standard ? h : h + ":" + target.port();
    }

    /** Keeps a connection whose response was read to its end for the next run. */
    private void keep(NetSocket s, Instant notAfter) {
        idle = s;
        idleNotAfter = notAfter;
        // Nothing may arrive on a kept connection; if the server closes it or sends anything, it is dropped.
        s.handler(b -> drop(s));
        s.closeHandler(v -> drop(s));
        s.exceptionHandler(e -> drop(s));
    }

    private void drop(NetSocket s) {
        if (idle == s) {
            idle = null;
        }
        s.handler(null);
        s.closeHandler(null);
        s.exceptionHandler(null);
        s.close();
    }

    /** The kept connection, taken for a run, or null. */
    private NetSocket takeIdle() {
        NetSocket s = idle;
        idle = null;
        return s;
    }

    @Override
    public String describe() {
        return kind().toUpperCase() + " " + http.method() + " " + http.path() + " " + target;
    }

    @Override
    public String kind() {
        return https ? "https" : "http";
    }

    /** One run: possibly several hops (redirects), all under the one deadline. */
    private final class Attempt {
        private final long start;
        private final Promise<CheckResult> result = Promise.promise();
        private final long timer;
        private NetSocket socket;
        private HttpResponseReader reader;
        private String path = http.path();
        private String host;
        private int hops;
        /** On a kept connection: a close or reset before any byte of the response means "open a new one". */
        private boolean reused;
        private Instant notAfter;
        private ReplyBuffer kept;
        private MessageDigest digest;

        Attempt(long start) {
            this.start = start;
            this.timer = vertx.setTimer(timeout.toMillis(), id -> finish(timedOut()));
        }

        Future<CheckResult> begin() {
            NetSocket kept = keepAlive ? takeIdle() : null;
            if (kept != null) {
                reused = true;
                notAfter = idleNotAfter;
                connected(kept);
            } else {
                connect();
            }
            return result.future();
        }

        private void connect() {
            ConnectOptions o = new ConnectOptions().setHost(target.host()).setPort(target.port())
                    .setTimeout((int) timeout.toMillis());
            if (https) {
                o.setSsl(true).setSslOptions(sslOptions);
                if (sni != null) {
                    o.setSniServerName(sni);
                }
            }
            reader = null;
            client.connect(o).onComplete(ar -> {
                if (ar.failed()) {
                    finish(connectFailed(ar.cause()));
                } else if (result.future().isComplete()) {
                    ar.result().close();
                } else {
                    connected(ar.result());
                }
            });
        }

        private void connected(NetSocket s) {
            socket = s;
            if (https && !reused) {
                notAfter = certificateEnd(s);
            }
            digest = http.digest() == null ? null : newDigest();
            kept = expect == null ? null : new ReplyBuffer();
            reader = new HttpResponseReader(http.method().equals("HEAD"), this::body);
            s.handler(this::received);
            s.closeHandler(v -> {
                if (!reopened()) {
                    progress(reader.closed());
                }
            });
            s.exceptionHandler(e -> {
                if (!reopened()) {
                    finish(fail("connection to " + target + " failed: " + TcpFailures.message(e), -1));
                }
            });
            s.write(hops == 0 ? request : Buffer.buffer(request(path, host)));
        }

        /**
         * A kept connection that the server closed (its keep-alive timeout) before answering: the
         * check goes on over a new connection, under the same deadline.
         */
        private boolean reopened() {
            if (!reused || reader.headBytes() > 0 || result.future().isComplete()) {
                return false;
            }
            reused = false;
            notAfter = null;
            closeSocket();
            connect();
            return true;
        }

        private void received(Buffer chunk) {
            if (!result.future().isComplete()) {
                progress(reader.feed(chunk));
            }
        }

        private boolean body(Buffer buf, int from, int len) {
            if (digest != null) {
                digest.update(buf.getBytes(from, from + len));
                return true;
            }
            if (kept != null) {
                boolean full = kept.append(buf, from, len);
                if (expect.matcher(new String(kept.bytes(), 0, kept.length(), StandardCharsets.ISO_8859_1)).find()) {
                    finish(pass("body matches '" + expect.pattern() + "'"));
                    return false;
                }
                return !full;
            }
            return keepAlive; // read to the end only to keep the connection usable
        }

        private void progress(HttpResponseReader.State state) {
            if (result.future().isComplete()) {
                return;
            }
            int code = reader.status();
            switch (state) {
                case FAILED -> finish(fail(kind() + " from " + target + ": " + reader.failure(), code));
                case HEAD -> { }
                case BODY, DONE -> {
                    if (code >= 300 && code < 400 && hops < http.redirects() && reader.header("location") != null) {
                        redirect(reader.header("location"));
                        return;
                    }
                    if (!http.status().accepts(code)) {
                        finish(fail(statusText() + " (expected " + http.status() + ")", code));
                    } else if (expect == null && digest == null) {
                        finish(pass(null));
                    } else if (state == HttpResponseReader.State.DONE) {
                        finish(judgeBody());
                    }
                }
            }
        }

        private CheckResult judgeBody() {
            int code = reader.status();
            if (digest != null) {
                String got = HexFormat.of().formatHex(digest.digest());
                return got.equals(http.digest()) ? pass("body digest " + got)
                        : fail(statusText() + ": body digest " + got + ", expected " + http.digest()
                                + " (" + reader.bodyBytes() + " bytes)", code);
            }
            String what = kept.full() ? "its first " + kept.length() + " bytes" : reader.bodyBytes() + " bytes";
            return fail(statusText() + ": body does not contain '" + expect.pattern() + "' (" + what + ")", code);
        }

        private void redirect(String location) {
            hops++;
            reused = false;
            if (host == null) {
                host = http.host() != null ? http.host() : defaultHost();
            }
            String loc = location.trim();
            if (loc.matches("(?i)https?://.*")) {
                String rest = loc.substring(loc.indexOf("//") + 2);
                int slash = rest.indexOf('/');
                host = slash < 0 ? rest : rest.substring(0, slash);
                path = slash < 0 ? "/" : rest.substring(slash);
            } else if (loc.startsWith("/")) {
                path = loc;
            } else {
                path = path.substring(0, path.lastIndexOf('/') + 1) + loc;
            }
            path = path.replaceAll("[\\x00-\\x20\\x7f-\\xff]", "");
            closeSocket();
            connect();
        }

        private String statusText() {
            String p = reader.phrase().isEmpty() ? "" : " " + Escapes.show(reader.phrase().getBytes(StandardCharsets.ISO_8859_1),
                    reader.phrase().length(), 40);
            return "HTTP " + reader.status() + p + " from " + targetText + " for " + http.method() + " " + path;
        }

        private CheckResult pass(String what) {
            int code = reader.status();
            String reason;
            if (what == null && notAfter == null && hops == 0) {
                // The usual pass: the same words every interval.
                PassWords cached = passWords;
                if (cached != null && cached.code() == code && cached.phrase().equals(reader.phrase())) {
                    reason = cached.reason();
                } else {
                    reason = statusText();
                    passWords = new PassWords(code, reader.phrase(), reason);
                }
            } else {
                String cert = notAfter == null ? "" : "; certificate valid until " + notAfter;
                reason = statusText() + (what == null ? "" : ", " + what) + cert;
            }
            return CheckResult.pass(reason, start).with(new CheckResult.Detail(code, notAfter, -1));
        }

        private CheckResult fail(String reason, int code) {
            return CheckResult.fail(reason, start).with(new CheckResult.Detail(code, notAfter, -1));
        }

        private CheckResult connectFailed(Throwable cause) {
            String refused = https ? TlsTrust.refusal(cause) : null;
            if (refused != null) {
                return fail("TLS handshake with " + target + " failed: " + refused, -1);
            }
            if (https && !TcpFailures.isTimeout(cause) && !String.valueOf(cause.getMessage()).contains("refused")) {
                return fail("TLS handshake with " + target + " failed: " + TcpFailures.message(cause), -1);
            }
            return TcpFailures.connectFailed(target, timeout, cause, start);
        }

        private CheckResult timedOut() {
            if (socket == null) {
                return https ? CheckResult.fail("connect or TLS handshake to " + target + " timed out after "
                        + Seconds.show(timeout), "CONNECT to " + target + " timed out", start)
                        : TcpFailures.connectTimedOut(target, timeout, start);
            }
            String where;
            if (reader == null || reader.status() < 0) {
                where = reader == null || reader.headBytes() == 0 ? "no response"
                        : "headers incomplete (" + reader.headBytes() + " bytes)";
            } else {
                where = "body incomplete (" + reader.bodyBytes() + " bytes of HTTP " + reader.status() + ")";
            }
            return CheckResult.fail(kind() + " " + http.method() + " " + path + " to " + target + " timed out after "
                    + Seconds.show(timeout) + ": " + where, "READ to " + target + " timed out", start)
                    .with(new CheckResult.Detail(reader == null ? -1 : reader.status(), notAfter, -1));
        }

        private void finish(CheckResult r) {
            if (!result.tryComplete(r)) {
                return;
            }
            vertx.cancelTimer(timer);
            if (keepAlive && socket != null && reader != null && reader.reusable()) {
                NetSocket s = socket;
                socket = null;
                keep(s, notAfter);
            } else {
                closeSocket();
            }
        }

        private void closeSocket() {
            NetSocket s = socket;
            socket = null;
            if (s != null) {
                s.handler(null);
                s.closeHandler(null);
                s.exceptionHandler(null);
                s.close();
            }
        }

        private MessageDigest newDigest() {
            try {
                return MessageDigest.getInstance(http.digest().length() == 32 ? "MD5" : "SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static Instant certificateEnd(NetSocket s) {
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
