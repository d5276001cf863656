package piranha.nanny.check;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The words of an http check's reasons that depend on the response: the status line as a reason
 * shows it, the usual pass (made again only when the status line changes: ten thousand checks every
 * two seconds must not build a string each), and what a request cut off at its deadline was missing.
 */
final class HttpReasons {
    private final String kind;
    private final String method;
    private final String firstPath;
    private final Target target;
    private final String targetText;
    private final Duration timeout;
    /** The reason of the last usual pass, reused while the server answers the same. */
    private volatile PassWords passWords;

    private record PassWords(int code, String phrase, String reason) { }

    HttpReasons(String kind, CheckSpec.Http http, Target target, Duration timeout) {
        this.kind = kind;
        this.method = http.method();
        this.firstPath = http.path();
        this.target = target;
        this.targetText = target.toString();
        this.timeout = timeout;
    }

    /** {@code HTTP 200 OK from RIP:RPORT for GET /}: the start of every reason of an answered request. */
    String status(HttpResponseReader reader, String path) {
        String p = reader.phrase().isEmpty() ? "" : " " + Escapes.show(reader.phrase().getBytes(StandardCharsets.ISO_8859_1),
                reader.phrase().length(), 40);
        return "HTTP " + reader.status() + p + " from " + targetText + " for " + method + " " + path;
    }

    /** The reason of a pass on the first hop judged by its status alone, without a certificate to show. */
    String usualPass(HttpResponseReader reader) {
        PassWords cached = passWords;
        if (cached != null && cached.code() == reader.status() && cached.phrase().equals(reader.phrase())) {
            return cached.reason();
        }
        String reason = status(reader, firstPath);
        passWords = new PassWords(reader.status(), reader.phrase(), reason);
        return reason;
    }

    /** The reason of a request to {@code path} cut off at the deadline after the connection was made. */
    String timedOut(HttpResponseReader reader, String path) {
        String where;
        if (reader == null || reader.status() < 0) {
            where = reader == null || reader.headBytes() == 0 ? "no response"
                    : "headers incomplete (" + reader.headBytes() + " bytes)";
        } else {
            where = "body incomplete (" + reader.bodyBytes() + " bytes of HTTP " + reader.status() + ")";
        }
        return kind + " " + method + " " + path + " to " + target + " timed out after " + Seconds.show(timeout) + ": " + where;
    }
}
