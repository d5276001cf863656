package piranha.pulse.sync;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import piranha.daemon.RealtimeScheduling;

/**
 * Listens for the partner's lvs.cf on TCP at the heartbeat address and port, one connection at a
 * time on a thread of its own ({@code config-sync}): challenge, offer, the installer's verdict as
 * the reply. Connections from any address but the partner's are closed unanswered. Every refusal is
 * sent back and logged with its reason.
 */
public final class SyncReceiver implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("pulse");
    /** How long the receiver waits for each read: a sender that stalls does not hold the channel. */
    static final int READ_TIMEOUT_MS = 10_000;

    /** Decides about a proven offer: writes and applies it, or says why not. */
    public interface Installer {
        SyncProtocol.Reply install(SyncProtocol.Offer offer, InetAddress from);
    }

    private final ServerSocket server;
    private final Installer installer;
    private volatile SyncProtocol protocol;
    private volatile Set<InetAddress> partners;
    private final Thread thread;
    private volatile boolean closed;

    private SyncReceiver(ServerSocket server, SyncProtocol protocol, Set<InetAddress> partners, Installer installer) {
        this.server = server;
        this.protocol = protocol;
        this.partners = Set.copyOf(partners);
        this.installer = installer;
        this.thread = RealtimeScheduling.thread("config-sync", this::run);
        thread.setDaemon(true);
    }

    /** Binds now (a failure is the caller's to report) and starts the thread. */
    public static SyncReceiver start(InetSocketAddress at, SyncProtocol protocol, Set<InetAddress> partners,
                                     Installer installer) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(at, 4);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        SyncReceiver r = new SyncReceiver(s, protocol, partners, installer);
        r.thread.start();
        return r;
    }

    /** A reload's key and partner addresses, for the next connection. */
    public void update(SyncProtocol newProtocol, Set<InetAddress> newPartners) {
        protocol = newProtocol;
        partners = Set.copyOf(newPartners);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private void run() {
        while (!closed) {
            try (Socket s = server.accept()) {
                handle(s);
            } catch (SocketException e) {
                if (!closed) LOG.warning("lvs.cf sync: " + e.getMessage());
            } catch (IOException | RuntimeException e) {
                LOG.warning("lvs.cf sync: " + e);
            }
        }
    }

    private void handle(Socket s) throws IOException {
        InetAddress from = s.getInetAddress();
        String who = from.getHostAddress();
        if (!partners.contains(from)) {
            LOG.warning("lvs.cf sync connection from " + who + " closed: not the partner's address");
            return;
        }
        s.setSoTimeout(READ_TIMEOUT_MS);
        SyncProtocol p = protocol;
        DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
        OutputStream out = new BufferedOutputStream(s.getOutputStream());
        byte[] nonce = SyncProtocol.nonce();
        out.write(p.challenge(nonce));
        out.flush();
        SyncProtocol.Reply reply;
        String what = "lvs.cf";
        try {
            SyncProtocol.Offer offer = p.readOffer(in, nonce);
            LOG.info(offer.kind().what + " offered by the partner " + who + ": "
                    + (offer.kind() == SyncProtocol.Kind.LVS_CF ? "serial_no " : "sent at ") + offer.serial() + ", "
                    + offer.body().length + " bytes");
            what = offer.kind().what;
            reply = installer.install(offer, from);
        } catch (SyncProtocol.Violation v) {
            reply = new SyncProtocol.Reply(false, v.getMessage());
        } catch (IOException e) {
            LOG.warning(what + " from " + who + " not received: " + e.getMessage());
            return;
        }
        if (reply.accepted()) {
            LOG.info(what + " from " + who + " installed: " + reply.reason());
        } else {
            LOG.warning(what + " from " + who + " refused: " + reply.reason());
        }
        out.write(p.reply(nonce, reply));
        out.flush();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) LOG.log(Level.FINE, "lvs.cf sync thread still finishing an exchange");
    }
}
