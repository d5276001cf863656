package piranha.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A daemon's pid file (/var/run/pulse.pid): written when it starts in the background, removed when
 * it exits, as Piranha's daemons did and the SysV scripts expect.
 */
public final class PidFile implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PidFile.class.getName());

    private final Path path;
    private final String pid = Long.toString(ProcessHandle.current().pid());

    private PidFile(Path path) {
        this.path = path;
    }

    /**
     * Writes this process's pid (atomically: a reader never sees half a number), replacing a file
     * left by a daemon that died.
     *
     * @throws IOException naming the file when it cannot be written
     */
    public static PidFile write(Path path) throws IOException {
        PidFile f = new PidFile(path);
        Path dir = path.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
            try {
                Files.writeString(tmp, f.pid + "\n", StandardCharsets.US_ASCII);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new IOException("cannot write the pid file " + path + ": " + e.getMessage(), e);
        }
        return f;
    }

    public Path path() {
        return path;
    }

    /** Removes the file, unless another process has written its own pid there since. */
    @Override
    public void close() {
        try {
            if (Files.exists(path) && Files.readString(path, StandardCharsets.US_ASCII).strip().equals(pid)) {
                Files.delete(path);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove the pid file " + path + ": " + e.getMessage());
        }
    }
}
