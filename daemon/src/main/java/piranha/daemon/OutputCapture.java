package piranha.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a program's output stream to its end on a thread of {@link ProcessRunner}, keeping the
 * first {@code cap} bytes and dropping the rest, so the program never blocks on a full pipe.
 */
final class OutputCapture implements Runnable {
    private final InputStream in;
    private final int cap;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private boolean truncated;
    private volatile boolean done;

    OutputCapture(InputStream in, int cap) {
        this.in = in;
        this.cap = cap;
    }

    @Override
    public void run() {
        byte[] buf = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                synchronized (this) {
                    int take = Math.min(n, cap - kept.size());
                    kept.write(buf, 0, take);
                    truncated |= take < n;
                }
            }
        } catch (IOException e) {
            // the stream was closed under us (the program was killed): what was read stands
        } finally {
            done = true;
        }
    }

    boolean done() {
        return done;
    }

    synchronized byte[] bytes() {
        return kept.toByteArray();
    }

    synchronized boolean truncated() {
        return truncated;
    }
}
