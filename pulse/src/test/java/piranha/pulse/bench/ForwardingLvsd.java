package piranha.pulse.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import piranha.pulse.e2e.StandInLvsd;

/**
 * Benchmark stand-in for lvsd with a data plane: the readiness contract of {@link StandInLvsd} plus a
 * plain TCP forwarder from the first virtual service's VIP:port to its real servers (round robin).
 * Binds the VIP before it exists, so the director needs net.ipv4.ip_nonlocal_bind = 1.
 */
public final class ForwardingLvsd {
    private ForwardingLvsd() {}

    public static void main(String[] args) throws Exception {
        Path cf = null;
        for (int i = 0; i < args.length - 1; i++) if (args[i].equals("-c")) cf = Path.of(args[i + 1]);
        if (cf == null) {
            System.err.println("lvsd: -c FILE required");
            System.exit(2);
        }
        String text = Files.readString(cf);
        Matcher vip = Pattern.compile("(?m)^\\s*address = (\\S+) \\S+\\s*$").matcher(text);
        Matcher port = Pattern.compile("(?m)^\\s*port = (\\d+)\\s*$").matcher(text);
        if (!vip.find() || !port.find()) {
            System.err.println("lvsd: no virtual address/port in " + cf);
            System.exit(1);
        }
        List<InetSocketAddress> servers = new ArrayList<>();
        Matcher rs = Pattern.compile("(?m)^\\s*address = (\\d+\\.\\d+\\.\\d+\\.\\d+)\\s*$").matcher(text);
        while (rs.find()) servers.add(new InetSocketAddress(rs.group(1), Integer.parseInt(port.group(1))));
        ServerSocket listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getByName(vip.group(1)), Integer.parseInt(port.group(1))), 1024);
        AtomicInteger next = new AtomicInteger();
        Thread accept = new Thread(() -> {
            while (true) {
                try {
                    Socket client = listener.accept();
                    InetSocketAddress to = servers.get(Math.floorMod(next.getAndIncrement(), servers.size()));
                    new Thread(() -> forward(client, to)).start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "accept");
        accept.setDaemon(true);
        accept.start();
        System.out.println("lvsd: forwarding " + vip.group(1) + ":" + port.group(1) + " to " + servers);
        StandInLvsd.main(args); // readiness, parent watch, runs until SIGTERM
    }

    private static void forward(Socket client, InetSocketAddress to) {
        try (client; Socket server = new Socket()) {
            server.connect(to, 1000);
            Thread up = new Thread(() -> pipe(client, server));
            up.start();
            pipe(server, client);
            up.join(10_000);
        } catch (IOException | InterruptedException e) {
            // the client sees the connection close; nothing else to do in a benchmark forwarder
        }
    }

    private static void pipe(Socket from, Socket to) {
        byte[] buf = new byte[8192];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) > 0) out.write(buf, 0, n);
            to.shutdownOutput();
        } catch (IOException e) {
            // closed
        }
    }
}
