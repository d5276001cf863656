package piranha.lvsd;

/** Entry point of `lvsd`. */
public final class LvsdMain {
    private LvsdMain() {}

    public static void main(String[] args) {
        System.err.println("lvsd: not available in this build yet");
        System.exit(1);
    }
}
