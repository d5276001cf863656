package piranha.pulse.heartbeat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * The shared heartbeat secret. The key file holds the secret itself (trailing line breaks are not
 * part of it); it must be readable by its owner only, like an ssh private key.
 */
public final class HeartbeatKey {
    public static final int MIN_LENGTH = 16;
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final byte[] secret;
    private final int id;

    public HeartbeatKey(byte[] secret) {
        if (secret.length < MIN_LENGTH) {
            throw new IllegalArgumentException("heartbeat key is too short: " + secret.length
                    + " bytes, at least " + MIN_LENGTH + " needed");
        }
        this.secret = secret.clone();
        this.id = deriveId(this.secret);
    }

    /** Loads a key file, refusing one that group or others may read. */
    public static HeartbeatKey load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("heartbeat key file " + file + " is not a file");
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        perms.retainAll(OTHERS);
        if (!perms.isEmpty()) {
            throw new IOException("heartbeat key file " + file + " must not be accessible by group or others"
                    + " (chmod 600)");
        }
        byte[] raw = Files.readAllBytes(file);
        int end = raw.length;
        while (end > 0 && (raw[end - 1] == '\n' || raw[end - 1] == '\r')) end--;
        try {
            return new HeartbeatKey(Arrays.copyOf(raw, end));
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage() + " (in " + file + ")");
        }
    }

    byte[] secret() {
        return secret;
    }

    /**
     * A key of its own for another use of the shared secret (HMAC-SHA256 of {@code purpose} under the
     * secret): a MAC made for that use can never pass as a heartbeat's, nor the other way round.
     */
    public byte[] derive(String purpose) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException | java.security.InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** Keys are equal when their secrets are (a reload that reads the same key changes nothing). */
    @Override
    public boolean equals(Object o) {
        return o instanceof HeartbeatKey k && MessageDigest.isEqual(secret, k.secret);
    }

    @Override
    public int hashCode() {
        return id;
    }

    /** A public 32-bit fingerprint, so a wrong key can be told from a forgery. */
    public int id() {
        return id;
    }

    private static int deriveId(byte[] secret) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("piranha pulse key id".getBytes(StandardCharsets.US_ASCII));
            return ByteBuffer.wrap(sha.digest(secret)).getInt();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
