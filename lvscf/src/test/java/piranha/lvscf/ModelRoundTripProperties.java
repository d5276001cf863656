package piranha.lvscf;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import piranha.lvscf.keys.CheckValueTypes;
import piranha.lvscf.keys.Key;
import piranha.lvscf.keys.Keys;
import piranha.lvscf.keys.Scope;
import piranha.lvscf.keys.ValueType;
import piranha.lvscf.model.AddressDevice;
import piranha.lvscf.model.Globals;
import piranha.lvscf.model.Host;
import piranha.lvscf.model.LvsConfig;
import piranha.lvscf.model.Position;
import piranha.lvscf.model.RealServer;
import piranha.lvscf.model.StatusCodes;
import piranha.lvscf.model.Values;
import piranha.lvscf.model.VirtualService;

/** Any model the library can hold is written so that it reads back as the same model. */
class ModelRoundTripProperties {

    @Property(tries = 2000)
    void randomModelsSurviveWriteAndRead(@ForAll long seed) {
        LvsConfig model = new ModelGenerator(new Random(seed)).config();
        String text = CanonicalWriter.write(model);
        LvsCfDocument back = LvsCfDocument.parse("random.cf", text, HostResolver.NUMERIC_ONLY);
        assertThat(back.syntax().diagnostics()).as(text).isEmpty();
        assertThat(back.errors()).as(text).allSatisfy(d -> assertThat(d.message()).doesNotContain("is not"));
        assertThat(back.config()).as(text).isEqualTo(model);
        assertThat(back.text()).isEqualTo(text);
    }

    /** Random values of every key's type, within what the type accepts. */
    static final class ModelGenerator {
        private static final String WORD = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
        private static final String TEXT = WORD + " \t#{}=\\/%:;,!?*[]()\u00e9\u4e2d";
        private final Random r;

        ModelGenerator(Random r) {
            this.r = r;
        }

        LvsConfig config() {
            List<VirtualService> virtuals = new ArrayList<>();
            for (int i = r.nextInt(4); i > 0; i--) {
                virtuals.add(service("virtual"));
            }
            List<VirtualService> failovers = new ArrayList<>();
            for (int i = r.nextInt(2); i > 0; i--) {
                failovers.add(service("failover"));
            }
            return new LvsConfig(new Globals(values(Scope.GLOBAL), Map.of()), virtuals, failovers);
        }

        private VirtualService service(String kind) {
            List<RealServer> servers = new ArrayList<>();
            for (int i = r.nextInt(4); i > 0; i--) {
                Map<String, Object> v = values(Scope.SERVER);
                v.putIfAbsent("port", r.nextInt(65536)); // a server's port is always explicit in the model
                servers.add(new RealServer(word(), v, Map.of(), Position.NONE));
            }
            return new VirtualService(kind, word(), values(Scope.VIRTUAL), Map.of(), servers, Position.NONE);
        }

        private Map<String, Object> values(Scope scope) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Key k : Keys.all(scope)) {
                if (r.nextInt(3) == 0) {
                    m.put(k.name(), value(k));
                }
            }
            return m;
        }

        private Object value(Key k) {
            ValueType t = k.type();
            if (t == ValueType.BOOL) {
                return r.nextBoolean();
            } else if (t == ValueType.SECONDS) {
                return r.nextBoolean() ? Duration.ofSeconds(1 + r.nextInt(86_400)) : Duration.ofMillis(1 + r.nextInt(100_000));
            } else if (t == ValueType.HOST || t == ValueType.HOST_OR_ZERO) {
                Host h;
                do {
                    String ip = anyIp();
                    h = new Host(ip, Values.ip(ip).orElseThrow());
                } while (t == ValueType.HOST && h.isUnspecified());
                return h;
            } else if (t == ValueType.IP) {
                return Values.inetAton(ip()).orElseThrow();
            } else if (t == ValueType.ANY_IP) {
                return Values.ip(anyIp()).orElseThrow();
            } else if (t == ValueType.MASK) {
                if (r.nextInt(4) == 0) {
                    return new piranha.lvscf.model.PrefixLength(r.nextInt(129));
                }
                int prefix = r.nextInt(33);
                return Values.ipv4(prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL);
            } else if (t == ValueType.PORT) {
                return r.nextInt(65536);
            } else if (t == ValueType.LISTEN) {
                int port = 1 + r.nextInt(65535);
                return switch (r.nextInt(3)) {
                    case 0 -> piranha.lvscf.model.Listen.OFF;
                    case 1 -> new piranha.lvscf.model.Listen(ip(), port);
                    default -> new piranha.lvscf.model.Listen("2001:db8::" + Integer.toHexString(1 + r.nextInt(0xffff)), port);
                };
            } else if (t == ValueType.STRING) {
                return text();
            } else if (t == ValueType.USER_NAME) {
                return "u" + word();
            } else if (t == ValueType.ADDRESS_DEVICE) {
                return new AddressDevice(Values.ip(anyIp()).orElseThrow(), "eth" + r.nextInt(4) + (r.nextBoolean() ? ":" + r.nextInt(100) : ""));
            } else if (t == ValueType.LIST) {
                List<String> items = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    items.add("/" + word());
                }
                return List.copyOf(items);
            } else if (t == ValueType.INT) {
                return r.nextInt();
            } else if (t == ValueType.NON_NEGATIVE) {
                return r.nextInt(Integer.MAX_VALUE);
            } else if (k.name().equals("port")) {
                return r.nextInt(65536);
            } else if (k.name().equals("interval")) {
                return 1 + r.nextInt(86_400);
            } else if (k.name().equals("fall")) {
                return 1 + r.nextInt(1000);
            } else if (k.name().equals("rise")) {
                return r.nextInt(100_001);
            } else if (k.name().equals("bgp_hold_time")) {
                return 3 + r.nextInt(65_533);
            } else if (t == ValueType.AS_NUMBER) {
                return 1 + (r.nextLong() & 0xFFFF_FFFFL) % 4_294_967_295L;
            } else if (t == ValueType.ADDRESS_LIST) {
                List<Host> hosts = new ArrayList<>();
                for (int i = 1 + r.nextInt(3); i > 0; i--) {
                    String ip;
                    do {
                        ip = anyIp();
                    } while (new Host(ip, Values.ip(ip).orElseThrow()).isUnspecified());
                    hosts.add(new Host(ip, Values.ip(ip).orElseThrow()));
                }
                return List.copyOf(hosts);
            } else if (k.name().equals("http_redirects")) {
                return r.nextInt(11);
            } else if (t == CheckValueTypes.STATUS_CODES) {
                int low = 100 + r.nextInt(500);
                return r.nextBoolean() ? StatusCodes.parse(Integer.toString(low))
                        : StatusCodes.parse(low + "-" + (low + r.nextInt(600 - low)) + ",2" + (10 + r.nextInt(90)));
            } else if (t == CheckValueTypes.HTTP_METHOD) {
                return List.of("GET", "HEAD", "POST", "OPTIONS").get(r.nextInt(4));
            } else if (t == CheckValueTypes.HTTP_PATH) {
                return "/" + word() + (r.nextBoolean() ? "?a=" + word() : "");
            } else if (t == CheckValueTypes.HTTP_HOST || t == CheckValueTypes.DNS_NAME) {
                return word().replaceAll("[^A-Za-z0-9]", "") + "x.example";
            } else if (t == CheckValueTypes.DIGEST) {
                StringBuilder hex = new StringBuilder();
                for (int i = r.nextBoolean() ? 32 : 64; i > 0; i--) {
                    hex.append("0123456789abcdef".charAt(r.nextInt(16)));
                }
                return hex.toString();
            } else if (t == CheckValueTypes.REGEX) {
                return "^" + word() + "(ok|up)";
            } else if (t == CheckValueTypes.ABSOLUTE_PATH || t == CheckValueTypes.COMMAND) {
                return "/" + word() + (t == CheckValueTypes.COMMAND && r.nextBoolean() ? " %h %p" : "");
            } else if (t == CheckValueTypes.USER) {
                return "u" + word().replaceAll("[^A-Za-z0-9_]", "_");
            }
            List<Object> choices = t.choices();
            return choices.get(r.nextInt(choices.size()));
        }

        /** An IPv4 address or, one time in four, an IPv6 address in its compressed form. */
        private String anyIp() {
            if (r.nextInt(4) != 0) {
                return ip();
            }
            byte[] b = new byte[16];
            for (int i = 0; i < 16; i++) {
                b[i] = (byte) (r.nextInt(3) == 0 ? 0 : r.nextInt(256));
            }
            try {
                return Values.text(java.net.InetAddress.getByAddress(b));
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e);
            }
        }

        private String ip() {
            return r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256);
        }

        private String word() {
            StringBuilder sb = new StringBuilder();
            for (int i = 1 + r.nextInt(12); i > 0; i--) {
                sb.append(WORD.charAt(r.nextInt(WORD.length())));
            }
            return sb.toString();
        }

        /** Any text a value can hold: blanks, comment signs, braces, one kind of quote. */
        private String text() {
            StringBuilder sb = new StringBuilder();
            for (int i = r.nextInt(20); i > 0; i--) {
                sb.append(TEXT.charAt(r.nextInt(TEXT.length())));
            }
            int quote = r.nextInt(4);
            if (quote == 1) {
                sb.insert(r.nextInt(sb.length() + 1), '"');
            } else if (quote == 2) {
                sb.insert(r.nextInt(sb.length() + 1), '\'');
            }
            return sb.toString();
        }
    }
}
