package piranha.lvscf.model;

/** The global forwarding method ({@code network}), with ipvsadm's flag for it. */
public enum Network {
    NAT("-m"), DIRECT("-g"), TUNNEL("-i");

    private final String ipvsadmFlag;

    Network(String ipvsadmFlag) {
        this.ipvsadmFlag = ipvsadmFlag;
    }

    public String ipvsadmFlag() {
        return ipvsadmFlag;
    }

    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
