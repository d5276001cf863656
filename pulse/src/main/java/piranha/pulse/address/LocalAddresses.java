package piranha.pulse.address;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** This host's addresses: which of lvs.cf's directors (primary, backup, director_peers) this one is. */
public final class LocalAddresses {
    private LocalAddresses() {}

    public static List<InetAddress> all() throws SocketException {
        List<InetAddress> out = new ArrayList<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            out.addAll(Collections.list(nif.getInetAddresses()));
        }
        return out;
    }
}
