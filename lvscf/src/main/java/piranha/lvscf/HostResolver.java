package piranha.lvscf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Turns a host name into an IPv4 address. Piranha resolved names once, when it read the file;
 * so does the parser, through this interface, so that tests and fuzzing never touch DNS.
 */
@FunctionalInterface
public interface HostResolver {

    Optional<Inet4Address> resolve(String name);

    /** The system resolver (/etc/hosts, then DNS). */
    HostResolver SYSTEM = name -> {
        try {
            for (InetAddress a : InetAddress.getAllByName(name)) {
                if (a instanceof Inet4Address v4) {
                    return Optional.of(v4);
                }
            }
            return Optional.empty();
        } catch (UnknownHostException | SecurityException e) {
            return Optional.empty();
        }
    };

    /** Resolves nothing: only numeric addresses are accepted. */
    HostResolver NUMERIC_ONLY = name -> Optional.empty();
}
