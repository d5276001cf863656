package piranha.lvscf.keys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * TCP service names for {@code port} and {@code heartbeat_port} ({@code port = http}), as
 * Piranha looked them up with getservbyname(name, "tcp"). Reads /etc/services once; a few
 * well-known names are built in for hosts (containers) that lack the file.
 */
public final class ServiceNames {
    private static final Map<String, Integer> BUILT_IN = Map.ofEntries(
            Map.entry("ftp", 21), Map.entry("ssh", 22), Map.entry("telnet", 23), Map.entry("smtp", 25),
            Map.entry("domain", 53), Map.entry("http", 80), Map.entry("www", 80), Map.entry("pop3", 110),
            Map.entry("imap", 143), Map.entry("imap2", 143), Map.entry("ldap", 389), Map.entry("https", 443),
            Map.entry("submission", 587), Map.entry("ldaps", 636), Map.entry("imaps", 993),
            Map.entry("pop3s", 995), Map.entry("mysql", 3306), Map.entry("sip", 5060),
            Map.entry("http-alt", 8080), Map.entry("webcache", 8080));

    private static volatile Map<String, Integer> table;

    private ServiceNames() {}

    public static OptionalInt tcpPort(String name) {
        Integer p = table().get(name);
        return p == null ? OptionalInt.empty() : OptionalInt.of(p);
    }

    private static Map<String, Integer> table() {
        Map<String, Integer> t = table;
        if (t == null) {
            t = new HashMap<>(BUILT_IN);
            try {
                List<String> lines = Files.readAllLines(Path.of("/etc/services"), java.nio.charset.StandardCharsets.ISO_8859_1);
                for (String line : lines) {
                    int hash = line.indexOf('#');
                    String[] f = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
                    if (f.length < 2 || !f[1].endsWith("/tcp")) {
                        continue;
                    }
                    try {
                        int port = Integer.parseInt(f[1].substring(0, f[1].length() - 4));
                        for (int i = 0; i < f.length; i++) {
                            if (i != 1) {
                                t.putIfAbsent(f[i], port);
                            }
                        }
                    } catch (NumberFormatException ignored) {
                        // a malformed line in /etc/services names no port
                    }
                }
            } catch (IOException | SecurityException ignored) {
                // no /etc/services: the built-in names remain
            }
            table = Map.copyOf(t);
        }
        return t;
    }
}
