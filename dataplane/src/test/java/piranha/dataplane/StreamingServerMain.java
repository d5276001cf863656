package piranha.dataplane;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A real server in its own process, so a test can kill it: prints its port, then for each
 * connection sends "rs\n" and streams bytes until the process dies.
 */
public final class StreamingServerMain {
    public static void main(String[] args) throws Exception {
        try (ServerSocket ss = new ServerSocket()) {
            ss.bind(new InetSocketAddress(InetAddress.getByName(args[0]), 0), 16);
            System.out.println(ss.getLocalPort());
            System.out.flush();
            byte[] chunk = new byte[65536];
            Arrays.fill(chunk, (byte) 'x');
            for (int i = 0; i < 100; i++) {
                Socket s = ss.accept();
                OutputStream out = s.getOutputStream();
                out.write("rs\n".getBytes(StandardCharsets.US_ASCII));
                try {
                    for (long n = 0; n < 1_000_000; n++) out.write(chunk);
                } catch (java.io.IOException e) {
                    s.close();
                }
            }
        }
    }
}
