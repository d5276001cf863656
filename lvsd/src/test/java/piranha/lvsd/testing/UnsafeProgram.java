package piranha.lvsd.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** A check program in a directory every user may write to: what script security refuses to run as root. */
public final class UnsafeProgram {
    private UnsafeProgram() {}

    /** {@code dir/open/probe.sh}, {@code dir/open} being of mode 0777. */
    public static Path in(Path dir) throws IOException {
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        return Files.writeString(open.resolve("probe.sh"), "#!/bin/sh\nexit 0\n");
    }
}
