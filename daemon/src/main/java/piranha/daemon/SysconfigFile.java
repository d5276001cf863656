package piranha.daemon;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.configuration2.PropertiesConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;

/**
 * A shell-style {@code KEY=value} file such as /etc/sysconfig/pulse ({@code OPTIONS="--forceactive"})
 * or the GUI's settings, read with Commons Configuration and the shell's quotes removed.
 */
public final class SysconfigFile {
    private final Map<String, String> values;

    private SysconfigFile(Map<String, String> values) {
        this.values = values;
    }

    /** An absent file is an empty one: every setting then has its default. */
    public static SysconfigFile read(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        if (Files.exists(file)) {
            PropertiesConfiguration pc = new PropertiesConfiguration();
            try (Reader r = Files.newBufferedReader(file)) {
                pc.read(r);
            } catch (ConfigurationException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
            pc.getKeys().forEachRemaining(k -> {
                String v = pc.getString(k, "");
                if (k.equals("export") && v.indexOf('=') > 0) {
                    // "export KEY=value" reads as the key "export"; the shell means KEY.
                    values.put(v.substring(0, v.indexOf('=')).strip(), unquote(v.substring(v.indexOf('=') + 1)));
                } else {
                    values.put(k, unquote(v));
                }
            });
        }
        return new SysconfigFile(values);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public Map<String, String> asMap() {
        return Map.copyOf(values);
    }

    static String unquote(String v) {
        String s = v.strip();
        if (s.length() >= 2 && (s.charAt(0) == '"' || s.charAt(0) == '\'') && s.charAt(s.length() - 1) == s.charAt(0)) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }
}
