package piranha.nanny.check;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
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
 *
 * <p>This class runs the hops and judges them; the request bytes come from {@link HttpRequestEncoder},
 * the response is read by {@link HttpResponseReader}, TLS is set up by {@link HttpsHandshake}, the kept
 * connection is held by {@link KeptConnection} and the reasons' words come from {@link HttpReasons}.
 */
public final class HttpCheck implements Check {
    private final Vertx vertx;
    private final NetClient client;
    private final Target target;
    private final CheckSpec.Http http;
    private final boolean https;
    private final Duration timeout;
    private final Pattern expect;
    private final boolean keepAlive;
    private final HttpRequestEncoder request;
    /** Null over plain http. */
    private final HttpsHandshake handshake;
    private final KeptConnection keptConnection = new KeptConnection();
    private final HttpReasons reasons;

    public HttpCheck(Vertx vertx, NetClient client, Target target, CheckSpec spec, Duration timeout) {
        this.vertx = vertx;
        this.client = client;
        this.target = target;
        this.http = spec.http();
        this.https = spec.kind() == piranha.lvscf.model.CheckKind.HTTPS;
        this.timeout = timeout;
        this.expect = http.expect() == null ? null : Pattern.compile(http.expect());
        this.handshake = https ? new HttpsHandshake(spec, timeout) : null;
        this.keepAlive = http.keepAlive();
        this.reasons = new HttpReasons(https ? "https" : "http", http, target, timeout);
        this.request = new HttpRequestEncoder(http, target, https);
    }

    @Override
    public Future<CheckResult> run() {
        long start = System.nanoTime();
        if (https) {
            CheckResult unusable = handshake.prepare(start);
            if (unusable != null) {
                return Future.succeededFuture(unusable);
            }
        }
        if (!keepAlive || keptConnection.isHome(vertx.getOrCreateContext())) {
            return new Attempt(start).begin();
        }
        Promise<CheckResult> p = Promise.promise();
        keptConnection.home().runOnContext(v -> new Attempt(start).begin().onComplete(p));
        return p.future();
    }

    @Override
    public void close() {
        keptConnection.close();
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
            NetSocket idle = keepAlive ? keptConnection.take() : null;
            if (idle != null) {
                reused = true;
                notAfter = keptConnection.notAfter();
                connected(idle);
            } else {
                connect();
            }
            return result.future();
        }

        private void connect() {
            ConnectOptions o = new ConnectOptions().setHost(target.host()).setPort(target.port())
                    .setTimeout((int) timeout.toMillis());
            if (https) {
                handshake.apply(o);
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
                notAfter = HttpsHandshake.certificateEnd(s);
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
            s.write(hops == 0 ? request.first() : request.hop(path, host));
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
            host = HttpRequestEncoder.redirectHost(location, host == null ? request.host() : host);
            path = HttpRequestEncoder.redirectPath(location, path);
            closeSocket();
            connect();
        }

        private String statusText() {
            return reasons.status(reader, path);
        }

        private CheckResult pass(String what) {
            int code = reader.status();
            String reason;
            if (what == null && notAfter == null && hops == 0) {
                reason = reasons.usualPass(reader); // the same words every interval
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
            String tlsFailure = https ? HttpsHandshake.failure(cause) : null;
            if (tlsFailure != null) {
                return fail("TLS handshake with " + target + " failed: " + tlsFailure, -1);
            }
            return TcpFailures.connectFailed(target, timeout, cause, start);
        }

        private CheckResult timedOut() {
            if (socket == null) {
                return https ? CheckResult.fail("connect or TLS handshake to " + target + " timed out after "
                        + Seconds.show(timeout), "CONNECT to " + target + " timed out", start)
                        : TcpFailures.connectTimedOut(target, timeout, start);
            }
            return CheckResult.fail(reasons.timedOut(reader, path), "READ to " + target + " timed out", start)
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
                keptConnection.keep(s, notAfter);
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
}
