package piranha.lvscf.keys;

/** A value that cannot be read; {@code token} is the index of the offending value token. */
public final class ValueException extends Exception {
    private final int token;

    public ValueException(int token, String message) {
        super(message, null, false, false);
        this.token = token;
    }

    public int token() {
        return token;
    }
}
