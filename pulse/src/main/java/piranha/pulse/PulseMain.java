package piranha.pulse;

/** Entry point of `pulse`; the command is not part of this build yet. */
public final class PulseMain {
    private PulseMain() {}

    public static void main(String[] args) {
        System.err.println("pulse: not available in this build yet");
        System.exit(1);
    }
}
