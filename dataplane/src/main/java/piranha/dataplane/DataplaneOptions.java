package piranha.dataplane;

/**
 * Options of the user-space table. Defaults follow the kernel's IPVS sysctls where there is one.
 */
public final class DataplaneOptions {
    private int maxConnections = 65_536;
    private boolean expireNodestConn = false;
    private boolean expireQuiescentTemplate = false;
    private int connectTimeoutMillis = 3_000;
    private int writeLowWaterMark = 32 * 1024;
    private int writeHighWaterMark = 64 * 1024;
    private int backlog = 4096;
    private int udpPendingDatagrams = 64;
    private Timeouts timeouts = Timeouts.IPVS_DEFAULTS;

    public DataplaneOptions() {}

    public DataplaneOptions(DataplaneOptions o) {
        maxConnections = o.maxConnections;
        expireNodestConn = o.expireNodestConn;
        expireQuiescentTemplate = o.expireQuiescentTemplate;
        connectTimeoutMillis = o.connectTimeoutMillis;
        writeLowWaterMark = o.writeLowWaterMark;
        writeHighWaterMark = o.writeHighWaterMark;
        backlog = o.backlog;
        udpPendingDatagrams = o.udpPendingDatagrams;
        timeouts = o.timeouts;
    }

    /** Cap on concurrent TCP connections plus UDP flows over all services. */
    public int maxConnections() {
        return maxConnections;
    }

    public DataplaneOptions setMaxConnections(int n) {
        if (n < 1) throw new IllegalArgumentException("maxConnections must be >= 1, got " + n);
        this.maxConnections = n;
        return this;
    }

    /**
     * IPVS's {@code expire_nodest_conn}: when true, deleting a destination (or its service) closes
     * the connections and flows it still carries; when false (the default, as in IPVS) they go on
     * until they end or time out.
     */
    public boolean expireNodestConn() {
        return expireNodestConn;
    }

    public DataplaneOptions setExpireNodestConn(boolean b) {
        this.expireNodestConn = b;
        return this;
    }

    /**
     * IPVS's {@code expire_quiescent_template}: when true, a persistence template whose destination
     * has weight 0 is dropped and the client rescheduled; when false (the default, as in IPVS)
     * persistent clients keep reaching a quiesced destination until their template expires.
     */
    public boolean expireQuiescentTemplate() {
        return expireQuiescentTemplate;
    }

    public DataplaneOptions setExpireQuiescentTemplate(boolean b) {
        this.expireQuiescentTemplate = b;
        return this;
    }

    public int connectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    public DataplaneOptions setConnectTimeoutMillis(int ms) {
        if (ms < 1) throw new IllegalArgumentException("connectTimeoutMillis must be >= 1, got " + ms);
        this.connectTimeoutMillis = ms;
        return this;
    }

    public int writeLowWaterMark() {
        return writeLowWaterMark;
    }

    public int writeHighWaterMark() {
        return writeHighWaterMark;
    }

    /** Per-socket write queue bounds: reading from the other side pauses above {@code high}. */
    public DataplaneOptions setWriteWaterMarks(int low, int high) {
        if (low < 1 || high < low) throw new IllegalArgumentException("need 1 <= low <= high, got " + low + ", " + high);
        this.writeLowWaterMark = low;
        this.writeHighWaterMark = high;
        return this;
    }

    public int backlog() {
        return backlog;
    }

    public DataplaneOptions setBacklog(int b) {
        if (b < 1) throw new IllegalArgumentException("backlog must be >= 1, got " + b);
        this.backlog = b;
        return this;
    }

    /** Datagrams a new UDP flow holds while its socket to the real server is being set up. */
    public int udpPendingDatagrams() {
        return udpPendingDatagrams;
    }

    public DataplaneOptions setUdpPendingDatagrams(int n) {
        if (n < 1) throw new IllegalArgumentException("udpPendingDatagrams must be >= 1, got " + n);
        this.udpPendingDatagrams = n;
        return this;
    }

    /** Initial timeouts (IPVS defaults 900/120/300 s); changed later with setTimeouts. */
    public Timeouts timeouts() {
        return timeouts;
    }

    public DataplaneOptions setTimeouts(Timeouts t) {
        this.timeouts = t.over(Timeouts.IPVS_DEFAULTS);
        return this;
    }
}
