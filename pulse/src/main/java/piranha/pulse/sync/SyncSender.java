package piranha.pulse.sync;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Offers lvs.cf to the partner's {@link SyncReceiver} and reads its proven reply. */
public final class SyncSender {
    private SyncSender() {}

    /**
     * @param timeout bound of the connect and of each read; the reply comes after the partner's
     *                reload, so give it that long
     * @throws IOException when the partner cannot be reached or its reply is not proven
     */
    public static SyncProtocol.Reply push(InetSocketAddress partner, SyncProtocol protocol, SyncProtocol.Offer offer,
                                          Duration timeout) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(partner, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
            byte[] nonce = protocol.readChallenge(in);
            OutputStream out = s.getOutputStream();
            out.write(protocol.offer(nonce, offer));
            out.flush();
            return protocol.readReply(in, nonce);
        }
    }
}
