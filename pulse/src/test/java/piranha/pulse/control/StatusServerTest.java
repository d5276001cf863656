package piranha.pulse.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusServerTest {
    @TempDir
    Path dir;

    @Test
    void answersOneJsonLinePerRequestOnAPrivateSocket() throws Exception {
        Path sock = dir.resolve("pulse.sock");
        Files.writeString(sock, "stale");
        try (StatusServer s = new StatusServer(sock, req -> "status".equals(req.getString("cmd"))
                ? new JsonObject().put("state", "standby") : new JsonObject().put("error", "unknown command"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock))).isEqualTo("rw-------");
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(sock));
                OutputStream out = Channels.newOutputStream(ch);
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
                out.write("{\"cmd\":\"status\"}\n{\"cmd\":\"dance\"}\nnot json\n[1]\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                assertThat(new JsonObject(in.readLine()).getString("state")).isEqualTo("standby");
                assertThat(new JsonObject(in.readLine()).getString("error")).isEqualTo("unknown command");
                assertThat(new JsonObject(in.readLine()).getString("error")).contains("not a JSON object");
                assertThat(new JsonObject(in.readLine()).getString("error")).contains("not a JSON object");
            }
        }
        assertThat(sock).doesNotExist();
    }
}
