package piranha.dataplane;

/** A table operation refused, with ipvsadm's wording where it has one ("No such service"). */
public final class DataplaneException extends RuntimeException {
    public DataplaneException(String message) {
        super(message);
    }

    public DataplaneException(String message, Throwable cause) {
        super(message, cause);
    }
}
