package piranha.pulse.config;

import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Which lvs.cf a director runs: its {@code serial_no} and the SHA-256 of its bytes. Two directors
 * whose stamps are equal hold byte-identical files; the serial alone says which copy is newer.
 *
 * @param serial serial_no of the file (0 when absent)
 * @param digest SHA-256 of the file's bytes, 32 bytes
 */
public record ConfigStamp(long serial, byte[] digest) {
    public static final int DIGEST_LENGTH = 32;

    public ConfigStamp {
        Objects.requireNonNull(digest, "digest");
        if (digest.length != DIGEST_LENGTH) throw new IllegalArgumentException("a SHA-256 digest has 32 bytes");
        digest = digest.clone();
    }

    /** The stamp of a file's bytes. */
    public static ConfigStamp of(long serial, byte[] bytes) {
        return new ConfigStamp(serial, sha256(bytes));
    }

    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    public String digestHex() {
        return HexFormat.of().formatHex(digest);
    }

    /** {"serial": N, "digest": "hex"}, as pulse's status shows it. */
    public JsonObject toJson() {
        return new JsonObject().put("serial", serial).put("digest", digestHex());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigStamp s && s.serial == serial && MessageDigest.isEqual(s.digest, digest);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(serial) * 31 + java.util.Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return "serial_no " + serial + ", sha256 " + digestHex().substring(0, 12);
    }
}
