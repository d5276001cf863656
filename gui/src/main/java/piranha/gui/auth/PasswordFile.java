package piranha.gui.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import org.apache.commons.codec.digest.Crypt;
import org.apache.commons.codec.digest.Md5Crypt;

/**
 * The GUI's password file: one line {@code piranha:HASH}, mode 0600. HASH is PBKDF2 (written by
 * piranha-passwd) or, once, an entry of Piranha's htpasswd file ({@code $apr1$}, {@code $1$},
 * {@code $5$}, {@code $6$}, DES crypt or {@code {SHA}}), which the first good login replaces.
 */
public final class PasswordFile {
    /** Where Piranha kept it, and where the installed GUI and piranha-passwd look. */
    public static final Path DEFAULT = Path.of("/etc/sysconfig/ha/conf/piranha.passwd");
    public static final String USER = "piranha";

    public enum Check { GOOD, GOOD_NEEDS_REHASH, BAD }

    private final Path file;

    public PasswordFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    /**
     * The stored hash of user piranha.
     *
     * @throws IOException with an operator-facing message when the file is missing or holds no entry
     */
    public String storedHash() throws IOException {
        if (!Files.exists(file)) {
            throw new IOException("no password file " + file + ": set a password with piranha-passwd --file " + file);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String l : lines) {
            String line = l.strip();
            if (line.startsWith(USER + ":") && line.length() > USER.length() + 1) {
                return line.substring(USER.length() + 1);
            }
        }
        throw new IOException(file + " holds no password for user " + USER + ": set one with piranha-passwd --file " + file);
    }

    /** A fingerprint of the stored entry: sessions opened under another password end. */
    public String stamp() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(storedHash().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (IOException | NoSuchAlgorithmException e) {
            return "";
        }
    }

    public Check check(char[] password) throws IOException {
        String stored = storedHash();
        if (Pbkdf2.matches(stored)) {
            return Pbkdf2.verify(password, stored) ? Check.GOOD : Check.BAD;
        }
        return legacyMatches(password, stored) ? Check.GOOD_NEEDS_REHASH : Check.BAD;
    }

    static boolean legacyMatches(char[] password, String stored) {
        String pw = new String(password);
        try {
            String computed;
            if (stored.startsWith("$apr1$")) {
                computed = Md5Crypt.apr1Crypt(pw.getBytes(StandardCharsets.UTF_8), stored);
            } else if (stored.startsWith("{SHA}")) {
                byte[] d = MessageDigest.getInstance("SHA-1").digest(pw.getBytes(StandardCharsets.UTF_8));
                computed = "{SHA}" + Base64.getEncoder().encodeToString(d);
            } else if (stored.startsWith("$1$") || stored.startsWith("$5$") || stored.startsWith("$6$")
                    || stored.matches("[./0-9A-Za-z]{13}")) {
                computed = Crypt.crypt(pw.getBytes(StandardCharsets.UTF_8), stored);
            } else {
                return false;
            }
            return MessageDigest.isEqual(computed.getBytes(StandardCharsets.UTF_8), stored.getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | NoSuchAlgorithmException e) {
            return false;
        }
    }

    /** Replaces the file with a fresh PBKDF2 entry: temporary file of mode 0600, then a rename. */
    public void set(char[] password) throws IOException {
        write(USER + ":" + Pbkdf2.hash(password) + "\n");
    }

    void write(String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
