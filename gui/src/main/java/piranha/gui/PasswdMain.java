package piranha.gui;

import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import piranha.gui.auth.PasswordFile;

/**
 * {@code piranha-passwd [--file FILE] [PASSWORD]}: sets the configuration tool's password. As in
 * Piranha it prompts twice without echo, or takes the password as an argument with a warning; it
 * stores a salted PBKDF2 hash in a 0600 file and never runs a shell or htpasswd.
 */
@Command(name = "piranha-passwd", mixinStandardHelpOptions = true, version = "piranha-passwd 0.1",
        description = "Set the password of the Piranha configuration tool (user piranha).")
public final class PasswdMain implements Callable<Integer> {
    @Option(names = "--file", paramLabel = "FILE", description = "password file (default /etc/sysconfig/ha/conf/piranha.passwd)")
    Path file = PasswordFile.DEFAULT;

    @Parameters(arity = "0..1", paramLabel = "PASSWORD", description = "the new password (visible to other users: prefer the prompt)")
    String password;

    /** Reads a line without echo; null when there is no terminal. */
    interface Prompt {
        char[] read(String label);
    }

    Prompt prompt = defaultPrompt();
    PrintStream out = System.out;
    PrintStream err = System.err;

    static Prompt defaultPrompt() {
        Console c = System.console();
        return c == null ? null : label -> c.readPassword("%s", label);
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new PasswdMain());
        cl.setParameterExceptionHandler((ex, a) -> {
            System.err.println("piranha-passwd: " + ex.getMessage());
            ex.getCommandLine().usage(System.err);
            return 2;
        });
        System.exit(cl.execute(args));
    }

    @Override
    public Integer call() {
        char[] pw;
        if (password != null) {
            err.println("piranha-passwd: warning: a password given on the command line can be seen by other users"
                    + " (ps) and stays in the shell's history; run piranha-passwd without it to be prompted");
            pw = password.toCharArray();
        } else {
            if (prompt == null) {
                err.println("piranha-passwd: no terminal to prompt on; run it from a terminal, or give the password"
                        + " as an argument");
                return 1;
            }
            pw = prompt.read("New Password: ");
            char[] again = prompt.read("Verify: ");
            if (pw == null || again == null) {
                err.println("piranha-passwd: no password read");
                return 1;
            }
            if (!Arrays.equals(pw, again)) {
                err.println("piranha-passwd: the passwords do not match; nothing changed");
                return 1;
            }
            Arrays.fill(again, '\0');
        }
        try {
            if (pw.length == 0) {
                err.println("piranha-passwd: the password cannot be empty");
                return 1;
            }
            new PasswordFile(file).set(pw);
            out.println("piranha-passwd: password of " + PasswordFile.USER + " set in " + file
                    + " (open sessions must log in again)");
            return 0;
        } catch (IOException e) {
            err.println("piranha-passwd: cannot write " + file + ": " + e.getMessage());
            return 1;
        } finally {
            Arrays.fill(pw, '\0');
        }
    }
}
