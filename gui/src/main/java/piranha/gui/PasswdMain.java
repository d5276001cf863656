package piranha.gui;

/** Entry point of `piranha-passwd`; the command is not part of this build yet. */
public final class PasswdMain {
    private PasswdMain() {}

    public static void main(String[] args) {
        System.err.println("piranha-passwd: not available in this build yet");
        System.exit(1);
    }
}
