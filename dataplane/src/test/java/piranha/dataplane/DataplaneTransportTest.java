package piranha.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.Test;

/**
 * The transport the table forwards on. The build runs the forwarding tests twice: on the default
 * (io_uring, which this project's build hosts allow) and pinned to epoll (the surefire execution
 * "epoll-transport" sets piranha.transport), so both transports pass the same specification.
 */
class DataplaneTransportTest {
    @Test
    void theTableForwardsOnTheTransportTheBuildAskedFor() throws Exception {
        String asked = System.getProperty(DataplaneTransport.PROPERTY, "auto");
        String expected = asked.equals("auto") ? "io_uring" : asked;
        try (Lab lab = new Lab()) {
            assertThat(DataplaneTransport.name(lab.vertx)).isEqualTo(expected);
            assertThat(lab.dp.freebind()).isTrue();
        }
    }

    @Test
    void eachNativeTransportCanBeChosenAndAnUnknownNameFallsBackToTheBest() {
        assertThat(DataplaneTransport.choose("io_uring")).isSameAs(Transport.IO_URING);
        assertThat(DataplaneTransport.choose("epoll")).isSameAs(Transport.EPOLL);
        assertThat(DataplaneTransport.choose(" EPOLL ")).isSameAs(Transport.EPOLL);
        assertThat(DataplaneTransport.choose("nio")).isSameAs(Transport.NIO);
        assertThat(DataplaneTransport.choose("auto")).isSameAs(Transport.IO_URING);
        assertThat(DataplaneTransport.choose("kqueue")).isSameAs(Transport.IO_URING);
        assertThat(DataplaneTransport.whyNotIoUring()).isEmpty();
    }
}
