package piranha.pulse.sync;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.logging.Logger;
import piranha.daemon.RealtimeScheduling;

/**
 * Tells when lvsd rewrites its state file (an operator's drain, force-down, force-up or auto):
 * inotify on the file's directory through a {@link WatchService}, no polling. lvsd replaces the
 * file by a rename, which arrives as a create (or modify) of its name.
 */
public final class IntentWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("pulse");

    private final WatchService watch;
    private final Thread thread;

    private IntentWatcher(WatchService watch, Path stateFile, Runnable changed) {
        this.watch = watch;
        Path name = stateFile.getFileName();
        this.thread = RealtimeScheduling.thread("intent-watch", () -> {
            try {
                while (true) {
                    WatchKey key = watch.take();
                    boolean ours = false;
                    for (WatchEvent<?> e : key.pollEvents()) {
                        if (name.equals(e.context()) || e.kind() == StandardWatchEventKinds.OVERFLOW) ours = true;
                    }
                    key.reset();
                    if (ours) changed.run();
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                // closing
            }
        });
        thread.setDaemon(true);
    }

    /** Watches {@code stateFile}; {@code changed} runs on the watcher's thread after each change. */
    public static IntentWatcher start(Path stateFile, Runnable changed) throws IOException {
        WatchService w = FileSystems.getDefault().newWatchService();
        try {
            stateFile.toAbsolutePath().getParent().register(w, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException e) {
            w.close();
            throw e;
        }
        IntentWatcher iw = new IntentWatcher(w, stateFile.toAbsolutePath(), changed);
        iw.thread.start();
        LOG.fine("watching " + stateFile + " for the operator's intent");
        return iw;
    }

    @Override
    public void close() {
        try {
            watch.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
