package piranha.nanny.check;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code send_program} value turned into an argument vector: split on whitespace (no shell, no
 * quoting), with {@code %h} and {@code %p} replaced by the real server's address and port wherever
 * they occur in a word.
 */
public final class SendProgram {
    private SendProgram() {}

    public static List<String> argv(String program, String host, int port) {
        List<String> argv = new ArrayList<>();
        for (String word : program.trim().split("\\s+")) {
            if (!word.isEmpty()) {
                argv.add(word.replace("%h", host).replace("%p", Integer.toString(port)));
            }
        }
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("send_program is empty");
        }
        return argv;
    }
}
