package piranha.gui.config;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.locks.ReentrantLock;

import piranha.lvscf.HostResolver;
import piranha.lvscf.InvalidConfigException;
import piranha.lvscf.LvsCfDocument;
import piranha.lvscf.LvsCfFiles;

/**
 * The lvs.cf file the GUI edits. Every form carries the {@link Snapshot#version()} it was drawn
 * from (a hash of the file's bytes); a save made from an older version is refused, so two browser
 * sessions, or a browser and a text editor, never silently overwrite each other. Saves of this
 * process are serialised.
 */
public final class ConfigStore {
    private final Path file;
    private final HostResolver resolver;
    private final ReentrantLock lock = new ReentrantLock();
    /** The last file read: page views of an unchanged file skip parsing (documents are immutable). */
    private volatile Snapshot last;

    public record Snapshot(LvsCfDocument doc, String version) {}

    /** What a save did. */
    public sealed interface Outcome {
        record Saved(LvsCfDocument before, LvsCfDocument after) implements Outcome {}

        record Unchanged() implements Outcome {}

        /** The edit had errors; nothing was written. */
        record Rejected(Edit edit) implements Outcome {}

        record Stale(String message) implements Outcome {}
    }

    /** The result of applying a form to a document. */
    public interface Edit {
        LvsCfDocument result();

        boolean hasErrors();
    }

    public ConfigStore(Path file, HostResolver resolver) {
        this.file = file;
        this.resolver = resolver;
    }

    public Path path() {
        return file;
    }

    /**
     * The file as it is now.
     *
     * @throws piranha.lvscf.RefusedFileException with a located message for what no lvs.cf can be
     *         (not a regular file, over 64 MiB, nested too deep)
     */
    public Snapshot read() throws IOException {
        byte[] bytes;
        try {
            bytes = LvsCfFiles.readBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException("no configuration file " + file + " (start the GUI with -c FILE)");
        }
        String version = version(bytes);
        Snapshot cached = last;
        if (cached != null && cached.version().equals(version)) {
            return cached;
        }
        Snapshot fresh = new Snapshot(LvsCfFiles.parse(file, bytes, resolver), version);
        last = fresh;
        return fresh;
    }

    public static String version(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Applies {@code change} to the file as it is now, if it is still at {@code expectedVersion},
     * and writes the result atomically with {@code serial_no} bumped once; writes nothing when the
     * change has errors or changes nothing.
     */
    public Outcome save(String expectedVersion, java.util.function.Function<LvsCfDocument, Edit> change) throws IOException {
        lock.lock();
        try {
            Snapshot now = read();
            if (expectedVersion == null || !expectedVersion.equals(now.version())) {
                return new Outcome.Stale("lvs.cf was changed (serial_no is now " + now.doc().config().globals().serialNo()
                        + ") since this page was loaded; nothing was saved. Reload the page and make the change again.");
            }
            Edit edit = change.apply(now.doc());
            if (edit.hasErrors()) {
                return new Outcome.Rejected(edit);
            }
            if (edit.result().text().equals(now.doc().text())) {
                return new Outcome.Unchanged();
            }
            try {
                LvsCfDocument written = LvsCfFiles.write(file, edit.result(), true);
                return new Outcome.Saved(now.doc(), written);
            } catch (InvalidConfigException e) {
                // hasErrors() was false, so this cannot happen short of a bug; say so plainly.
                throw new IOException("refused to write an invalid lvs.cf: " + e.getMessage(), e);
            }
        } finally {
            lock.unlock();
        }
    }
}
