package piranha.pulse.config;

import java.nio.file.Path;

/** Reads lvs.cf into a {@link PulseConfig}: {@link LvsCfSource}, with the project's lvs.cf library. */
public interface PulseConfigSource {

    /** @throws ConfigException with a message naming the file, line and problem */
    PulseConfig load(Path lvsCf) throws ConfigException;

    /** A configuration that cannot be used; the message is shown to the operator as is. */
    final class ConfigException extends Exception {
        public ConfigException(String message) {
            super(message);
        }
    }
}
