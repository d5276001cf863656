package piranha.lvscf.syntax;

import java.util.List;

/** The syntax tree of an lvs.cf file: every line belongs to exactly one node. */
public sealed interface Node {

    /** A blank line or a whole-line comment. */
    record Trivia(SourceLine line) implements Node {}

    /** A line that could not be read as anything; its diagnostic is in the document. */
    record Bad(SourceLine line) implements Node {}

    /**
     * {@code key = value...}. {@code values} are the tokens after {@code =}, up to a trailing
     * {@code # comment} if there is one.
     */
    record Directive(SourceLine line, Token key, List<Token> values) implements Node {

        public String name() {
            return key.text();
        }

        /** The value tokens' text joined by one blank: {@code 192.168.1.250 eth0:1}. */
        public String valueText() {
            StringBuilder sb = new StringBuilder();
            for (Token t : values) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(t.text());
            }
            return sb.toString();
        }
    }

    /**
     * {@code virtual NAME {}, {@code failover NAME {} or {@code server NAME {} with its members.
     * {@code close} is null when the file ended inside the block.
     */
    record Block(SourceLine header, Token kind, Token name, List<Node> children, SourceLine close)
            implements Node {

        public String kindName() {
            return kind.text();
        }

        public String nameText() {
            return name == null ? "" : name.text();
        }
    }
}
