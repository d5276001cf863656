package piranha.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A real server that stops reading must stop the client, not fill the forwarder's memory. */
class BackpressureTest {

    @Test
    void aStalledReaderStallsTheWriter() throws Exception {
        try (Lab lab = new Lab(); ServerSocket stalled = new ServerSocket()) {
            stalled.bind(new InetSocketAddress(lab.address(200), 0));
            lab.await(lab.dp.addService(ServiceSpec.of(lab.tcp(), "rr")));
            lab.await(lab.dp.addDestination(lab.tcp(),
                    DestinationSpec.nat(new InetSocketAddress(lab.address(200), stalled.getLocalPort()), 1)));
            try (Socket c = new Socket()) {
                c.connect(new InetSocketAddress(lab.vip, lab.port), 5000);
                try (Socket accepted = stalled.accept()) { // accepted, never read
                    AtomicLong written = new AtomicLong();
                    Thread writer = new Thread(() -> {
                        byte[] chunk = new byte[65536];
                        try {
                            OutputStream out = c.getOutputStream();
                            for (int i = 0; i < 10_000; i++) { // at most 655 MB
                                out.write(chunk);
                                written.addAndGet(chunk.length);
                            }
                        } catch (Exception e) {
                            // closed at the end of the test
                        }
                    });
                    writer.setDaemon(true);
                    writer.start();
                    // wait until the writer makes no progress for a second (bounded)
                    long last = -1;
                    for (int i = 0; i < 30 && written.get() != last; i++) {
                        last = written.get();
                        Thread.sleep(1000);
                    }
                    // Socket buffers of four loopback sockets (a few MB each at most) plus the forwarder's
                    // bounded queue; without backpressure this would run to hundreds of MB.
                    assertThat(written.get()).isLessThan(48L << 20);
                    assertThat(writer.isAlive()).as("writer blocked").isTrue();
                    DestinationStats st = lab.stats(lab.tcp(), new InetSocketAddress(lab.address(200), stalled.getLocalPort()));
                    assertThat(written.get() - st.inBytes()).as("bytes the forwarder has not read").isGreaterThan(0);
                }
            }
        }
    }
}
