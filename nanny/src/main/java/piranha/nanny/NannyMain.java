package piranha.nanny;

/** Entry point of `nanny`; the command is not part of this build yet. */
public final class NannyMain {
    private NannyMain() {}

    public static void main(String[] args) {
        System.err.println("nanny: not available in this build yet");
        System.exit(1);
    }
}
