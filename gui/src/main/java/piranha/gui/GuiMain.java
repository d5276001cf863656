package piranha.gui;

/** Entry point of `piranha-gui`; the command is not part of this build yet. */
public final class GuiMain {
    private GuiMain() {}

    public static void main(String[] args) {
        System.err.println("piranha-gui: not available in this build yet");
        System.exit(1);
    }
}
