package piranha.nanny.check;

/** The address and port a check probes: the real server's RIP and RPORT. */
public record Target(String host, int port) {
    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
