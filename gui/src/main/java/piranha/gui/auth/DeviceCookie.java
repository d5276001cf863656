package piranha.gui.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The mark of a browser that has logged in before ("device cookie"): the time it was issued and
 * an HMAC-SHA256 of it, keyed by the stored password hash, which only root can read. Setting a new
 * password invalidates every such cookie. A browser showing a valid one is exempt from the
 * per-account lockout of {@link LoginLimiter}, so guessing from many addresses cannot lock the
 * operator out.
 */
public final class DeviceCookie {
    public static final String NAME = "piranha_device";
    public static final Duration LIFETIME = Duration.ofDays(30);

    private DeviceCookie() {}

    public static String issue(String storedHash, Instant now) {
        long issued = now.getEpochSecond();
        return issued + "." + mac(storedHash, issued);
    }

    public static boolean valid(String cookie, String storedHash, Instant now) {
        if (cookie == null || cookie.length() > 200) {
            return false;
        }
        int dot = cookie.indexOf('.');
        long issued;
        try {
            issued = Long.parseLong(cookie.substring(0, Math.max(0, dot)));
        } catch (NumberFormatException e) {
            return false;
        }
        long age = now.getEpochSecond() - issued;
        return age >= 0 && age <= LIFETIME.toSeconds() && MessageDigest.isEqual(
                cookie.substring(dot + 1).getBytes(StandardCharsets.US_ASCII), mac(storedHash, issued).getBytes(StandardCharsets.US_ASCII));
    }

    private static String mac(String storedHash, long issued) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(storedHash.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] d = m.doFinal(("device " + PasswordFile.USER + " " + issued).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
