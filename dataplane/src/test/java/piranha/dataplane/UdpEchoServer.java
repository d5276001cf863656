package piranha.dataplane;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A UDP real server: answers each datagram with "NAME PAYLOAD" and records who sent it. */
final class UdpEchoServer implements AutoCloseable {
    final String name;
    private final DatagramSocket socket;
    private final Thread thread;
    final AtomicInteger received = new AtomicInteger();
    final Set<InetSocketAddress> peers = ConcurrentHashMap.newKeySet();

    UdpEchoServer(String name, InetSocketAddress bind) throws IOException {
        this.name = name;
        socket = new DatagramSocket(bind);
        thread = new Thread(this::loop, "udp-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(socket.getLocalAddress(), socket.getLocalPort());
    }

    private void loop() {
        byte[] buf = new byte[2048];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                received.incrementAndGet();
                peers.add((InetSocketAddress) p.getSocketAddress());
                byte[] reply = (name + " " + new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII))
                        .getBytes(StandardCharsets.US_ASCII);
                socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws Exception {
        socket.close();
        thread.join(5000);
    }
}
