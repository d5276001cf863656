package piranha.lvscf.keys;

import java.math.BigDecimal;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import piranha.lvscf.HostResolver;
import piranha.lvscf.model.AddressDevice;
import piranha.lvscf.model.PrefixLength;
import piranha.lvscf.model.Host;
import piranha.lvscf.model.Values;
import piranha.lvscf.syntax.Token;

/** How one kind of lvs.cf value is read, written back, and shown as JSON. */
public abstract class ValueType {

    /** What reading a value may need besides its tokens. */
    public interface Context {
        HostResolver resolver();

        void warn(int token, String message);
    }

    /** Number of value tokens; 0 for a bracketed list. */
    public int arity() {
        return 1;
    }

    public abstract Object parse(List<Token> tokens, Context ctx) throws ValueException;

    /** The value as lvs.cf text, without quotes (the writer quotes where needed). */
    public String format(Object value) {
        return value.toString();
    }

    /** The value for {@code lvsd --check --dump}. */
    public Object json(Object value) {
        return format(value);
    }

    /** The values an enumerated type allows, in order; empty for other types (the GUI's drop-downs). */
    public List<Object> choices() {
        return List.of();
    }

    /** A short phrase for messages: "an integer", "an IPv4 address". */
    public abstract String description();

    // ---------------------------------------------------------------- the types

    public static ValueType integer(long min, long max) {
        return new IntType(min, max);
    }

    public static final ValueType INT = new IntType(Integer.MIN_VALUE, Integer.MAX_VALUE);
    public static final ValueType NON_NEGATIVE = new IntType(0, Integer.MAX_VALUE);
    public static final ValueType BOOL = new BoolType();
    public static final ValueType SECONDS = new SecondsType();
    public static final ValueType HOST = new HostType(false);
    public static final ValueType HOST_OR_ZERO = new HostType(true);
    public static final ValueType IP = new IpType();
    public static final ValueType ANY_IP = new AnyIpType();
    public static final ValueType MASK = new MaskType();
    public static final ValueType PORT = new PortType();
    public static final ValueType STRING = new StringType();
    public static final ValueType USER_NAME = new UserNameType();
    public static final ValueType ADDRESS_DEVICE = new AddressDeviceType();
    public static final ValueType LIST = new ListType();
    public static final ValueType AS_NUMBER = new AsNumberType();
    public static final ValueType ADDRESS_LIST = new AddressListType();
    /** {@code off}, {@code PORT} (on 127.0.0.1), {@code ADDRESS:PORT}: a metrics listener. */
    public static final ValueType LISTEN = new ValueType() {
        @Override
        public Object parse(List<Token> tokens, Context ctx) throws ValueException {
            try {
                return piranha.lvscf.model.Listen.parse(tokens.get(0).text());
            } catch (IllegalArgumentException e) {
                throw new ValueException(0, e.getMessage());
            }
        }

        @Override
        public String description() {
            return "off, a port, or ADDRESS:PORT";
        }
    };

    public static <E extends Enum<E>> ValueType enumeration(Class<E> type) {
        return new EnumType<>(type);
    }

    static long readInteger(Token t, int index, Context ctx) throws ValueException {
        OptionalLong v = Values.strtol(t.text());
        if (v.isEmpty()) {
            String hint = t.text().matches("0[0-7]*[89][0-9]*")
                    ? " (a leading 0 makes it octal, as in Piranha: drop the 0)" : "";
            throw new ValueException(index, "'" + t.text() + "' is not an integer" + hint);
        }
        if (Values.isOctal(t.text()) && v.getAsLong() != 0) {
            ctx.warn(index, "'" + t.text() + "' is read as octal (" + v.getAsLong()
                    + "), as Piranha did; write " + v.getAsLong() + " if that is what you mean");
        }
        return v.getAsLong();
    }

    static final class IntType extends ValueType {
        private final long min;
        private final long max;

        IntType(long min, long max) {
            this.min = min;
            this.max = max;
        }

        @Override
        public Object parse(List<Token> tokens, Context ctx) throws ValueException {
            long v = readInteger(tokens.get(0), 0, ctx);
            if (v < min || v > max) {
                throw new ValueException(0, v + " is out of range (" + range() + ")");
            }
            return (int) v;
        }

        private String range() {
            if (max == Integer.MAX_VALUE) {
                return "at least " + min;
            }
            return min + " to " + max;
        }

        @Override
        public Object json(Object value) {
            return value;
        }

        @Override
        public String description() {
            return min == Integer.MIN_VALUE ? "an integer" : "an integer, " + range();
        }
    }

    static final class BoolType extends ValueType {
        @Override
        public Object parse(List<Token> tokens, Context ctx) throws ValueException {
            OptionalLong v = Values.strtol(tokens.get(0).text());
            if (v.isEmpty() || (v.getAsLong() != 0 && v.getAsLong() != 1)) {
                throw new ValueException(0, "'" + tokens.get(0).text() + "' is not a boolean: write 0 or 1");
            }
            return v.getAsLong() == 1;
        }

        @Override
        public String format(Object value) {
            return ((Boolean) value) ? "1" : "0";
        }

        @Override
        public Object json(Object value) {
            return value;
        }

        @Override
        public String description() {
            return "0 or 1";
        }
    }

    /** Whole seconds as Piranha wrote them, or (extension) a decimal fraction such as 0.1. */
    static final class SecondsType extends ValueType {
        @Override
        public Object parse(List<Token> tokens, Context ctx) throws ValueException {
            String s = tokens.get(0).text();
            if (s.matches("[0-9]*\\.[0-9]+")) {
                BigDecimal d = new BigDecimal(s.startsWith(".") ? "0" + s : s);
                if (d.scale() > 3) {
                    throw new ValueException(0, "'" + s + "': at most millisecond precision (3 decimals)");
                }
                long ms = d.movePointRight(3).longValueExact();
                if (ms <= 0) {
                    throw new ValueException(0, "'" + s + "' must be more than 0 seconds");
                }
                return Duration.ofMillis(ms);
            }
            long v = readInteger(tokens.get(0), 0, ctx);
            if (v <= 0) {
                throw new ValueException(0, "'" + s + "' must be more than 0 seconds");
            }
            if (v > 86_400) {
                throw new ValueException(0, "'" + s + "' is out of range (at most 86400 seconds)");
            }
            return Duration.ofSeconds(v);
        }

        @Override
        public String format(Object value) {
            long ms = ((Duration) value).toMillis();
            return ms % 1000 == 0 ? Long.toString(ms / 1000) : BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString();
        }

        @Override
        public Object json(Object value) {
            long ms = ((Duration) value).toMillis();
            return ms % 1000 == 0 ? (Object) (ms / 1000) : (Object) (ms / 1000.0);
        }

        @Override
        public String description() {
            return "seconds (fractions such as 0.5 allowed)";
        }
    }

    static final class HostType extends ValueType {
        private final boolean allowZero;

        HostType(boolean allowZero) {
            this.allowZero = allowZero;
        }

        @Override
        public Object parse(List<Token> tokens, Context ctx) throws ValueException {
            Host h = readHost(tokens.get(0), 0, ctx);
            if (!allowZero && h.isUnspecified()) {
                throw new ValueException(0, h.text() + " is not a usable address here");
            }
            return h;
        }

        @Override
        public Object json(Object value) {
            return ((Host) value).ip();
        }

        @Override
        public String description() {
            return "an IPv4 or IPv6 address or host name";
        }
    }

    static Host readHost(Token t, int index, Context ctx) throws ValueException {
        String s = t.text();
        Optional<InetAddress> a = Values.ip(s);
        if (a.isPresent()) {
            return new Host(s, a.get());
        }
        if (s.indexOf(':') >= 0) {
            throw new ValueException(index, "'" + s + "' is not an IPv6 address (write it bare, without brackets or %zone)");
        }
        if (s.isEmpty() || s.matches("[0-9.]+") || !s.matches("[A-Za-z0-9._-]+")) {
            throw new ValueException(index, "'" + s + "' is not an IPv4 address or host name");
        }
        Optional<Inet4Address> r = ctx.resolver().resolve(s);
        if (r.isEmpty()) {
            throw new ValueException(index, "host name '" + s + "' does not resolve to an IPv4 address");
        }
        return new Host(s, r.get());
    }

    /** An address in inet_aton notation or an IPv6 literal ({@code sorry_server}). */
    static final class AnyIpType extends ValueType {
        @Override
        public Object parse(List<Token> tokens, Context ctx) throws ValueException {
            String s = tokens.get(0).text();
            if (s.indexOf(':') >= 0) {
                return Values.ipv6(s).orElseThrow(() -> new ValueException(0, "'" + s + "' is not an IPv6 address"));
            }
            return IP.parse(tokens, ctx);
        }

        @Override
        public String format(Object value) {
            return Values.text((InetAddress) value);
        }

        @Override
        public String description() {
            return "an IPv4 or IPv6 address";
        }
    }

    /** An address in inet_aton notation; subclasses add what else the value must be. */
    static class IpType extends ValueType {
        @Override
        public Object parse(List<Token> tokens, Context ctx) throws ValueException {
            String s = tokens.get(0).text();
            Optional<Inet4Address> a = Values.inetAton(s);
            if (a.isEmpty()) {
                throw new ValueException(0, "'" + s + "' is not " + description());
            }
            check(s, a.get(), ctx);
            return a.get();
        }

        void check(String text, Inet4Address a, Context ctx) throws ValueException {
            if (!Values.isDottedQuad(text)) {
                ctx.warn(0, "'" + text + "' is read as " + a.getHostAddress() + " (inet_aton shorthand); write the four parts");
            }
        }

        @Override
        public String format(Object value) {
            return ((Inet4Address) value).getHostAddress();
        }

        @Override
        public String description() {
            return "an IPv4 address";
        }
    }

    /** A dotted netmask, or a prefix length (0 to 128) as IPv6 needs: {@code vip_nmask = 64}. */
    static final class MaskType extends IpType {
        @Override
        public Object parse(List<Token> tokens, Context ctx) throws ValueException {
            String s = tokens.get(0).text();
            String bits = s.startsWith("/") ? s.substring(1) : s;
            if (bits.matches("[0-9]{1,3}")) {
                int n = Integer.parseInt(bits);
                if (n > 128) {
                    throw new ValueException(0, "'" + s + "' is not a prefix length (0 to 128)");
                }
                return new PrefixLength(n);
            }
            return super.parse(tokens, ctx);
        }

        @Override
        public String format(Object value) {
            return value instanceof PrefixLength p ? p.toString() : super.format(value);
        }

        @Override
        void check(String text, Inet4Address a, Context ctx) throws ValueException {
            if (!Values.isContiguousMask(a)) {
                throw new ValueException(0, "'" + text + "' is not a valid netmask: its one bits must be contiguous (e.g. 255.255.255.0)");
            }
        }

        @Override
        public String description() {
            return "a netmask such as 255.255.255.0 or a prefix length such as 64";
        }
    }

    static final class PortType extends ValueType {
        @Override
        public Object parse(List<Token> tokens, Context ctx) throws ValueException {
            Token t = tokens.get(0);
            if (!t.text().isEmpty() && Character.isDigit(t.text().charAt(0)) || t.text().startsWith("-")) {
                long v = readInteger(t, 0, ctx);
                if (v < 0 || v > 65535) {
                    throw new ValueException(0, v + " is not a port (0 to 65535)");
                }
                return (int) v;
            }
            OptionalInt p = ServiceNames.tcpPort(t.text());
            if (p.isEmpty()) {
                throw new ValueException(0, "'" + t.text() + "' is neither a port number nor a known TCP service name");
            }
            return p.getAsInt();
        }

        @Override
        public Object json(Object value) {
            return value;
        }

        @Override
        public String description() {
            return "a port number or TCP service name";
        }
    }

    static final class StringType extends ValueType {
        @Override
        public Object parse(List<Token> tokens, Context ctx) {
            return tokens.get(0).text();
        }

        @Override
        public String description() {
            return "a string (quote it if it has blanks)";
        }
    }

    /** A POSIX user name, as useradd accepts it; whether the user exists is the daemons' question. */
    static final class UserNameType extends ValueType {
        @Override
        public Object parse(List<Token> tokens, Context ctx) throws ValueException {
            String s = tokens.get(0).text();
            if (!s.matches("[A-Za-z_][A-Za-z0-9_.-]{0,31}")) {
                throw new ValueException(0, "'" + s + "' is not " + description());
            }
            return s;
        }

        @Override
        public String description() {
            return "a user name (a letter or '_', then letters, digits, '_', '.' or '-', at most 32)";
        }
    }

    static final class EnumType<E extends Enum<E>> extends ValueType {
        private final Class<E> type;

        EnumType(Class<E> type) {
            this.type = type;
        }

        @Override
        public Object parse(List<Token> tokens, Context ctx) throws ValueException {
            String s = tokens.get(0).text();
            for (E e : type.getEnumConstants()) {
                if (keyword(e).equals(s)) {
                    return e;
                }
            }
            for (E e : type.getEnumConstants()) {
                if (keyword(e).equalsIgnoreCase(s)) {
                    throw new ValueException(0, "'" + s + "' is not valid: values are case-sensitive; did you mean '" + keyword(e) + "'?");
                }
            }
            throw new ValueException(0, "'" + s + "' is not one of " + keywords());
        }

        @Override
        public List<Object> choices() {
            return List.of((Object[]) type.getEnumConstants());
        }

        String keywords() {
            List<String> names = new ArrayList<>();
            for (E e : type.getEnumConstants()) {
                names.add(keyword(e));
            }
            return String.join(", ", names);
        }

        static String keyword(Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }

        @Override
        public String format(Object value) {
            return keyword((Enum<?>) value);
        }

        @Override
        public String description() {
            return "one of " + keywords();
        }
    }

    static final class AddressDeviceType extends ValueType {
        @Override
        public int arity() {
            return 2;
        }

        @Override
        public Object parse(List<Token> tokens, Context ctx) throws ValueException {
            Host h = readHost(tokens.get(0), 0, ctx);
            String dev = tokens.get(1).text();
            if (!dev.matches("[A-Za-z0-9_.@-]{1,15}(:[A-Za-z0-9_-]{1,14})?") || dev.length() > 15) {
                throw new ValueException(1, "'" + dev + "' is not a network device name such as eth0 or eth0:1");
            }
            return new AddressDevice(h.address(), dev);
        }

        @Override
        public String description() {
            return "an address and a device, e.g. 192.168.1.250 eth0:1";
        }
    }

    /** {@code dirs = [ a b c ]}, a legacy key. */
    static final class ListType extends ValueType {
        @Override
        public int arity() {
            return 0;
        }

        @Override
        public Object parse(List<Token> tokens, Context ctx) throws ValueException {
            int last = tokens.size() - 1;
            if (!tokens.get(0).is("[") || !tokens.get(last).is("]") || last < 1) {
                throw new ValueException(0, "expected a list: [ item item ... ]");
            }
            List<String> items = new ArrayList<>();
            for (Token t : tokens.subList(1, last)) {
                items.add(t.text());
            }
            return List.copyOf(items);
        }

        @Override
        public String format(Object value) {
            @SuppressWarnings("unchecked")
            List<String> items = (List<String>) value;
            return items.isEmpty() ? "[ ]" : "[ " + String.join(" ", items) + " ]";
        }

        @Override
        public Object json(Object value) {
            return value;
        }

        @Override
        public String description() {
            return "a list: [ item item ... ]";
        }
    }

    /** A BGP autonomous system number (RFC 6793: four bytes), as a Long. */
    static final class AsNumberType extends ValueType {
        @Override
        public Object parse(List<Token> tokens, Context ctx) throws ValueException {
            String text = tokens.get(0).text();
            if (!text.matches("[0-9]{1,10}")) {
                throw new ValueException(0, "'" + text + "' is not an AS number: write 1 to 4294967295");
            }
            long v = Long.parseLong(text);
            if (v < 1 || v > 4_294_967_295L) {
                throw new ValueException(0, v + " is out of range (1 to 4294967295)");
            }
            return v;
        }

        @Override
        public Object json(Object value) {
            return value;
        }

        @Override
        public String description() {
            return "an AS number, 1 to 4294967295";
        }
    }

    /** One address, or several in a list: {@code [ 198.51.100.1 198.51.100.2 ]}; a List of Host. */
    static final class AddressListType extends ValueType {
        @Override
        public int arity() {
            return 0;
        }

        @Override
        public Object parse(List<Token> tokens, Context ctx) throws ValueException {
            int last = tokens.size() - 1;
            List<Token> items;
            int first;
            if (tokens.size() == 1 && !tokens.get(0).is("[")) {
                items = tokens;
                first = 0;
            } else if (tokens.get(0).is("[") && tokens.get(last).is("]") && last > 1) {
                items = tokens.subList(1, last);
                first = 1;
            } else {
                throw new ValueException(0, "expected an address or a list: [ address address ... ]");
            }
            List<Host> hosts = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                Host h = readHost(items.get(i), first + i, ctx);
                if (h.isUnspecified()) throw new ValueException(first + i, h.text() + " is not a usable address here");
                hosts.add(h);
            }
            return List.copyOf(hosts);
        }

        @Override
        public String format(Object value) {
            @SuppressWarnings("unchecked")
            List<Host> hosts = (List<Host>) value;
            return hosts.size() == 1 ? hosts.get(0).text()
                    : "[ " + String.join(" ", hosts.stream().map(Host::text).toList()) + " ]";
        }

        @Override
        public Object json(Object value) {
            @SuppressWarnings("unchecked")
            List<Host> hosts = (List<Host>) value;
            return hosts.stream().map(Host::ip).toList();
        }

        @Override
        public String description() {
            return "an address or a list: [ address address ... ]";
        }
    }
}
