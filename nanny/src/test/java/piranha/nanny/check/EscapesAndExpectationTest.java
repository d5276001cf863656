package piranha.nanny.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import piranha.nanny.check.Expectation.Decision;

class EscapesAndExpectationTest {

    @Test
    void piranhasSixEscapesAreTranslatedAndOthersKept() {
        assertThat(Escapes.translate("GET / HTTP/1.0\\r\\n\\r\\n")).isEqualTo("GET / HTTP/1.0\r\n\r\n");
        assertThat(Escapes.translate("a\\tb\\\\c\\'d\\\"e")).isEqualTo("a\tb\\c'd\"e");
        assertThat(Escapes.translate("keep \\x41 and \\0")).isEqualTo("keep \\x41 and \\0");
        assertThat(Escapes.translate("\\")).isEqualTo("\\");
        assertThat(Escapes.translate("trailing\\")).isEqualTo("trailing\\");
        assertThat(Escapes.translate(null)).isNull();
    }

    static Decision decide(Expectation e, String got, boolean complete) {
        byte[] b = got.getBytes(StandardCharsets.ISO_8859_1);
        return e.decide(b, b.length, complete);
    }

    @Test
    void prefixDecidesAsSoonAsItCan() {
        Expectation e = Expectation.of("HTTP", false);
        assertThat(decide(e, "", false)).isEqualTo(Decision.NEED_MORE);
        assertThat(decide(e, "HT", false)).isEqualTo(Decision.NEED_MORE);
        assertThat(decide(e, "HX", false)).isEqualTo(Decision.MISMATCH);
        assertThat(decide(e, "HTTP/1.1", false)).isEqualTo(Decision.MATCH);
        assertThat(decide(e, "HT", true)).isEqualTo(Decision.MISMATCH);
        assertThat(decide(e, "xHTTP", false)).isEqualTo(Decision.MISMATCH);
    }

    @Test
    void starIsAnyOneByte() {
        Expectation e = Expectation.of("*", false);
        assertThat(decide(e, "", false)).isEqualTo(Decision.NEED_MORE);
        assertThat(decide(e, "", true)).isEqualTo(Decision.MISMATCH);
        assertThat(decide(e, "\0", false)).isEqualTo(Decision.MATCH);
    }

    @Test
    void regexIsSearchedNotAnchored() {
        Expectation e = Expectation.of("200 (OK|Fine)", true);
        assertThat(decide(e, "HTTP/1.1 200 O", false)).isEqualTo(Decision.NEED_MORE);
        assertThat(decide(e, "HTTP/1.1 200 OK", false)).isEqualTo(Decision.MATCH);
        assertThat(decide(e, "HTTP/1.1 500 Oops", true)).isEqualTo(Decision.MISMATCH);
        assertThatThrownBy(() -> Expectation.of("(", true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("expect: invalid regular expression '('");
    }

    @Test
    void sendProgramWordsAreSplitAndSubstituted() {
        assertThat(SendProgram.argv("/usr/bin/check  -H %h -p %p --url=http://%h:%p/", "10.0.0.2", 8080))
                .containsExactly("/usr/bin/check", "-H", "10.0.0.2", "-p", "8080", "--url=http://10.0.0.2:8080/");
    }
}
