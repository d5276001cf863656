package piranha.lvscf;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What an edit may put into a document: text its encoding holds. A file that is not valid UTF-8
 * is kept as ISO-8859-1, byte for byte, and the writer would put a {@code ?} in place of any
 * character ISO-8859-1 lacks; such a value is refused instead, with the reason.
 */
final class Encodable {
    private Encodable() {}

    /**
     * @return {@code text}
     * @throws IllegalArgumentException naming {@code what} (a key, or "name"), the first character
     *         the encoding lacks and, for a file kept as ISO-8859-1, its first line that is not UTF-8
     */
    static String require(LvsCfDocument doc, String what, String text) {
        Charset charset = doc.charset();
        CharsetEncoder encoder = charset.newEncoder();
        if (encoder.canEncode(text)) {
            return text;
        }
        int at = 0;
        while (at < text.length() && encoder.canEncode(new String(Character.toChars(text.codePointAt(at))))) {
            at += Character.charCount(text.codePointAt(at));
        }
        if (at == text.length()) {
            throw new IllegalArgumentException(what + ": the value cannot be stored in " + charset.name());
        }
        int cp = text.codePointAt(at);
        if (Character.isSurrogate((char) cp)) {
            throw new IllegalArgumentException(what + ": a value cannot contain an unpaired surrogate (U+"
                    + String.format("%04X", cp) + ")");
        }
        String c = new String(Character.toChars(cp));
        throw new IllegalArgumentException(what + ": '" + c + "' cannot be stored: this lvs.cf is not UTF-8 (line "
                + firstNonUtf8Line(doc) + " has a byte that is not), so it is kept as " + charset.name() + ", which has no '"
                + c + "'. Convert the file to UTF-8 (iconv -f ISO-8859-1 -t UTF-8) to use such characters");
    }

    /** The number of the first line whose bytes are not UTF-8; 1 if there is none. */
    private static int firstNonUtf8Line(LvsCfDocument doc) {
        byte[] b = doc.source().bytes(doc);
        ByteBuffer in = ByteBuffer.wrap(b);
        CoderResult r = StandardCharsets.UTF_8.newDecoder().decode(in, CharBuffer.allocate(b.length + 1), true);
        if (!r.isError()) {
            return 1;
        }
        int[] starts = doc.source().lineStarts(doc);
        int i = Arrays.binarySearch(starts, in.position());
        return (i >= 0 ? i : -i - 2) + 1;
    }
}
