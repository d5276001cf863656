package piranha.lvscf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import piranha.lvscf.syntax.SyntaxTree;

/**
 * Reading and atomically writing lvs.cf files. The reader refuses, with a located
 * {@link RefusedFileException}, what no lvs.cf can be: anything but a regular file, a file over
 * {@link #MAX_BYTES}, blocks nested deeper than {@link SyntaxTree#MAX_NESTING}.
 */
public final class LvsCfFiles {
    /** Where every daemon looks unless told otherwise ({@code -c FILE}). */
    public static final Path DEFAULT = Path.of("/etc/sysconfig/ha/lvs.cf");
    /**
     * The largest lvs.cf read: 64 MiB, about 15 times the 40,000 real servers of the benchmarks.
     * Reading holds about 20 bytes of heap per byte of file.
     */
    public static final long MAX_BYTES = 64L * 1024 * 1024;
    /** A temporary file of ours not written to for this long, and whose writer is gone, is stale. */
    private static final Duration STALE_AFTER = Duration.ofSeconds(10);

    private LvsCfFiles() {}

    public static LvsCfDocument read(Path file) throws IOException {
        return read(file, HostResolver.SYSTEM);
    }

    public static LvsCfDocument read(Path file, HostResolver resolver) throws IOException {
        return refuseTooDeep(LvsCfDocument.parseOwned(file.toString(), readBytes(file), resolver));
    }

    /**
     * Reads the file again after {@code previous} was read from it: only its changed blocks are
     * read (see {@link LvsCfDocument#reread}). What daemons do on reload.
     */
    public static LvsCfDocument reread(Path file, LvsCfDocument previous) throws IOException {
        return refuseTooDeep(Reread.reread(file.toString(), previous, readBytes(file)));
    }

    /**
     * The document of bytes {@link #readBytes} read from {@code file}, refused as {@link #read}
     * refuses it: for a caller that keeps the bytes too.
     */
    public static LvsCfDocument parse(Path file, byte[] bytes, HostResolver resolver) throws RefusedFileException {
        return refuseTooDeep(LvsCfDocument.parse(file.toString(), bytes, resolver));
    }

    /**
     * The bytes of a regular file of at most {@link #MAX_BYTES}. A FIFO, device, socket or
     * directory is refused before it is opened (opening a FIFO without a writer would block).
     */
    public static byte[] readBytes(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        if (!a.isRegularFile()) {
            throw new RefusedFileException(file + ": error: " + kind(file, a) + ", not a regular file; lvs.cf must be a regular file");
        }
        if (a.size() > MAX_BYTES) {
            throw tooLarge(file, a.size());
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes((int) MAX_BYTES + 1);
            if (b.length > MAX_BYTES) {
                throw tooLarge(file, b.length); // it grew while being read
            }
            return b;
        }
    }

    private static RefusedFileException tooLarge(Path file, long size) {
        return new RefusedFileException(String.format("%s: error: %,d bytes is too large; lvs.cf may have at most %d MiB (%,d bytes)",
                file, size, MAX_BYTES >> 20, MAX_BYTES));
    }

    private static String kind(Path file, BasicFileAttributes a) {
        if (a.isDirectory()) {
            return "a directory";
        }
        try {
            int type = (Integer) Files.getAttribute(file, "unix:mode") & 0170000;
            return switch (type) {
                case 0010000 -> "a FIFO";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "a special file";
        }
    }

    private static LvsCfDocument refuseTooDeep(LvsCfDocument doc) throws RefusedFileException {
        for (Diagnostic d : doc.diagnostics()) {
            if (d.message().equals(SyntaxTree.TOO_DEEP)) {
                throw new RefusedFileException(d.toString());
            }
        }
        return doc;
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
     * Writes the document to {@code file}: a temporary file in the same directory, flushed to
     * disk, then renamed over the old one, with the old file's mode, owner and group. A reader
     * sees the old file or the new one, never a mix; a crash leaves one of them (and a temporary
     * file that {@link #removeStaleTemporaries} removes). When {@code file} is a symbolic link,
     * its target is replaced that way (the temporary file is made next to the target) and the
     * link stays.
     *
     * @throws InvalidConfigException if the document has errors; nothing is written then
     */
    public static void write(Path file, LvsCfDocument doc) throws IOException, InvalidConfigException {
        doc.requireValid();
        if (!doc.source().exact(doc)) {
            throw new IOException("cannot write " + file + ": its text holds characters that " + doc.charset()
                    + " cannot encode; nothing was written");
        }
        byte[] bytes = doc.bytes();
        Path target = target(file);
        Path dir = target.getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        // The lock tells removeStaleTemporaries of another process that this file is in use.
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
            ch.write(ByteBuffer.wrap(bytes));
            ch.force(true);
            keepAttributes(target, tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + target + " atomically: " + e.getMessage(), e);
            }
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
        try {
            removeStaleTemporaries(target);
        } catch (IOException e) {
            // The save is done; a stale temporary file is only clutter.
        }
    }

    /** The file a write replaces: {@code file}, or the final target of the symbolic link it is. */
    private static Path target(Path file) throws IOException {
        Path target;
        if (Files.isSymbolicLink(file)) {
            try {
                target = file.toRealPath();
            } catch (NoSuchFileException e) {
                throw new IOException(file + " is a symbolic link to " + Files.readSymbolicLink(file)
                        + ", which does not exist; nothing was written");
            }
        } else {
            target = file.toAbsolutePath();
        }
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return target; // a new file
        }
        if (!a.isRegularFile()) {
            throw new IOException(target + " is " + kind(target, a) + ", not a regular file; nothing was written");
        }
        return target;
    }

    /**
     * Removes the temporary files a write to {@code file} (or to its link's target) left behind
     * when its process died: files named {@code .NAME.DIGITS.tmp} next to it that no process
     * holds locked and that were not written to in the last seconds. Returns what it removed.
     */
    public static List<Path> removeStaleTemporaries(Path file) throws IOException {
        Path target = Files.exists(file) ? file.toRealPath() : file.toAbsolutePath();
        Pattern ours = Pattern.compile("\\." + Pattern.quote(target.getFileName().toString()) + "\\.[0-9]+\\.tmp");
        Instant before = Instant.now().minus(STALE_AFTER);
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> in = Files.newDirectoryStream(target.getParent(),
                p -> ours.matcher(p.getFileName().toString()).matches())) {
            for (Path p : in) {
                if (stale(p, before) && Files.deleteIfExists(p)) {
                    removed.add(p);
                }
            }
        }
        return removed;
    }

    private static boolean stale(Path tmp, Instant before) {
        try {
            BasicFileAttributes a = Files.readAttributes(tmp, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile() || a.lastModifiedTime().toInstant().isAfter(before)) {
                return false;
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                    FileLock lock = ch.tryLock()) {
                return lock != null;
            } catch (OverlappingFileLockException e) {
                return false; // a write of this process holds it
            }
        } catch (IOException e) {
            return false;
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
