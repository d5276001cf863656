package piranha.journey;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** The checkout the tests run (its bin/ and built jars), and what they pick so as not to meet another run. */
final class Checkout {
    private Checkout() {}

    /** The checkout: the parent of this module (surefire runs in the module's directory). */
    static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();

    static Path bin(String command) {
        Path p = ROOT.resolve("bin").resolve(command);
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(p + " is missing");
        }
        return p;
    }

    /** A TCP port free on 127.0.0.1 now (bound to 0 and released). */
    static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    /** An address of 127/8 nobody else uses: a virtual IP of the test's own. */
    static String randomLoopbackVip() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "127." + r.nextInt(64, 250) + "." + r.nextInt(1, 250) + "." + r.nextInt(1, 250);
    }

    /** A short random suffix for names shared on the host (network namespaces). */
    static String suffix() {
        return Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
    }
}
