package piranha.lvsd;

/** The version line of the commands, from the jar's manifest. */
final class Versions {
    private Versions() {}

    static String line(String command) {
        String v = Versions.class.getPackage().getImplementationVersion();
        return command + " " + (v == null ? "(development build)" : v);
    }
}
