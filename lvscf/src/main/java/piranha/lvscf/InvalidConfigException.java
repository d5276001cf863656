package piranha.lvscf;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown where a configuration with errors would otherwise be applied or written. */
public final class InvalidConfigException extends Exception {
    private final List<Diagnostic> errors;

    public InvalidConfigException(List<Diagnostic> errors) {
        super(errors.stream().map(Diagnostic::toString).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public List<Diagnostic> errors() {
        return errors;
    }
}
