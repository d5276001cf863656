package piranha.lvsd.testing;

/**
 * The lvs.cf the scenario tests start from: globals, then one virtual service "web" checked with
 * an HTTP probe (timeout 2, reentry 2) over loopback real servers. Tests edit the text it returns
 * (a replaced line, an appended block), so its layout is fixed: the scheduler is the fourth line
 * of the block.
 */
public final class WebServiceCf {
    private WebServiceCf() {}

    /** A real server of the service; {@code weight} null leaves the key out (Piranha's 1). */
    public record Server(String name, int port, Integer weight) {
        public static Server of(String name, int port) {
            return new Server(name, port, null);
        }

        public static Server weighted(String name, int port, int weight) {
            return new Server(name, port, weight);
        }
    }

    /**
     * @param globals      the lines before the block, each ending in a newline
     * @param address      the {@code address} value: VIP and interface, e.g. {@code 198.51.100.10 eth0:1}
     * @param virtualExtra lines added to the block before its servers, each ending in a newline
     */
    public static String text(String globals, String address, int port, String scheduler, String virtualExtra,
            Server... servers) {
        StringBuilder cf = new StringBuilder(globals)
                .append("virtual web {\n active = 1\n address = ").append(address).append("\n port = ").append(port)
                .append("\n scheduler = ").append(scheduler).append('\n')
                .append(" send = \"GET / HTTP/1.0\\r\\n\\r\\n\"\n expect = \"HTTP\"\n timeout = 2\n reentry = 2\n")
                .append(virtualExtra);
        for (Server s : servers) {
            cf.append(" server ").append(s.name()).append(" {\n  address = 127.0.0.1\n  port = ").append(s.port())
                    .append("\n  active = 1\n");
            if (s.weight() != null) {
                cf.append("  weight = ").append(s.weight()).append('\n');
            }
            cf.append(" }\n");
        }
        return cf.append("}\n").toString();
    }
}
