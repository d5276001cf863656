package piranha.nanny.check;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What a reply must look like (the {@code expect} key), decided incrementally: a check feeds it the
 * bytes read so far and learns whether that is enough to pass, enough to fail, or more is needed.
 * Piranha decided on a single read(); here a reply split over several segments is judged as a whole.
 */
public sealed interface Expectation {

    /** Bytes read beyond this are not kept: a server answering megabytes is decided on the first. */
    int MAX_REPLY_BYTES = 64 * 1024;

    enum Decision { MATCH, MISMATCH, NEED_MORE }

    /**
     * @param reply    bytes received so far
     * @param len      how many of them are valid
     * @param complete true when nothing more will arrive (peer closed, datagram, program exited, cap)
     */
    Decision decide(byte[] reply, int len, boolean complete);

    /** The expectation as operators wrote it, for reasons. */
    String text();

    /** Builds the expectation for an {@code expect} value (escapes already translated). */
    static Expectation of(String expect, boolean useRegex) {
        if (useRegex) {
            return new Regex(expect);
        }
        if (expect.equals("*")) {
            return new AnyByte();
        }
        return new Prefix(expect);
    }

    /** Piranha's plain expect: the reply must start with these bytes. */
    record Prefix(String text, byte[] bytes) implements Expectation {
        public Prefix(String text) {
            this(text, text.getBytes(StandardCharsets.ISO_8859_1));
        }

        @Override
        public Decision decide(byte[] reply, int len, boolean complete) {
            int n = Math.min(len, bytes.length);
            for (int i = 0; i < n; i++) {
                if (reply[i] != bytes[i]) {
                    return Decision.MISMATCH;
                }
            }
            if (len >= bytes.length) {
                return Decision.MATCH;
            }
            return complete ? Decision.MISMATCH : Decision.NEED_MORE;
        }
    }

    /** {@code expect = "*"}: any one byte will do. */
    record AnyByte() implements Expectation {
        @Override
        public Decision decide(byte[] reply, int len, boolean complete) {
            if (len > 0) {
                return Decision.MATCH;
            }
            return complete ? Decision.MISMATCH : Decision.NEED_MORE;
        }

        @Override
        public String text() {
            return "*";
        }
    }

    /**
     * {@code use_regex = 1}: a regular expression searched for (not anchored, as POSIX regexec) in the
     * reply read so far. Matching is on ISO-8859-1 text so every byte is one character.
     */
    record Regex(String text, Pattern pattern) implements Expectation {
        public Regex(String text) {
            this(text, compile(text));
        }

        private static Pattern compile(String text) {
            try {
                return Pattern.compile(text);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("expect: invalid regular expression '" + text + "': "
                        + e.getDescription());
            }
        }

        @Override
        public Decision decide(byte[] reply, int len, boolean complete) {
            if (len == 0 && !complete) {
                return Decision.NEED_MORE;
            }
            if (pattern.matcher(new String(reply, 0, len, StandardCharsets.ISO_8859_1)).find()) {
                return Decision.MATCH;
            }
            return complete || len >= MAX_REPLY_BYTES ? Decision.MISMATCH : Decision.NEED_MORE;
        }
    }
}
