package piranha.pulse;

/** Entry point of `send_arp`; the command is not part of this build yet. */
public final class SendArpMain {
    private SendArpMain() {}

    public static void main(String[] args) {
        System.err.println("send_arp: not available in this build yet");
        System.exit(1);
    }
}
