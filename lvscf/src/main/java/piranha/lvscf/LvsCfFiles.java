package piranha.lvscf;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** Reading and atomically writing lvs.cf files. */
public final class LvsCfFiles {
    /** Where every daemon looks unless told otherwise ({@code -c FILE}). */
    public static final Path DEFAULT = Path.of("/etc/sysconfig/ha/lvs.cf");

    private LvsCfFiles() {}

    public static LvsCfDocument read(Path file) throws IOException {
        return read(file, HostResolver.SYSTEM);
    }

    public static LvsCfDocument read(Path file, HostResolver resolver) throws IOException {
        return LvsCfDocument.parseOwned(file.toString(), Files.readAllBytes(file), resolver);
    }

    /**
     * Reads the file again after {@code previous} was read from it: only its changed blocks are
     * read (see {@link LvsCfDocument#reread}). What daemons do on reload.
     */
    public static LvsCfDocument reread(Path file, LvsCfDocument previous) throws IOException {
        return Reread.reread(file.toString(), previous, Files.readAllBytes(file));
    }

    /** Writes the document, first adding one to its {@code serial_no} when {@code bumpSerial}. */
    public static LvsCfDocument write(Path file, LvsCfDocument doc, boolean bumpSerial)
            throws IOException, InvalidConfigException {
        doc.requireValid();
        LvsCfDocument out = bumpSerial ? doc.bumpSerial() : doc;
        write(file, out);
        return out;
    }

    /**
     * Writes the document to {@code file}: a temporary file in the same
     * directory, flushed to disk, then renamed over the old one, with the old file's mode, owner
     * and group. A reader sees the old file or the new one, never a mix; a crash leaves one of them.
     *
     * @throws InvalidConfigException if the document has errors; nothing is written then
     */
    public static void write(Path file, LvsCfDocument doc) throws IOException, InvalidConfigException {
        doc.requireValid();
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(doc.bytes()));
                ch.force(true);
            }
            keepAttributes(file, tmp);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + file + " atomically: " + e.getMessage(), e);
            }
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void keepAttributes(Path original, Path tmp) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        if (Files.exists(original, LinkOption.NOFOLLOW_LINKS)) {
            PosixFileAttributes a = Files.readAttributes(original, PosixFileAttributes.class);
            view.setPermissions(a.permissions());
            try {
                view.setGroup(a.group());
                view.setOwner(a.owner());
            } catch (IOException e) {
                // An unprivileged writer cannot give the file away; the mode is what matters to readers.
            }
        } else {
            view.setPermissions(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ));
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for syncing; the rename itself is done.
        }
    }
}
