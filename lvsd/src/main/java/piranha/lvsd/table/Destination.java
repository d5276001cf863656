package piranha.lvsd.table;

import piranha.lvscf.model.Network;

/** A real server in a virtual service of the table: address, port, forwarding method and weight. */
public record Destination(String address, int port, Network method, int weight) {

    /** {@code IP:PORT}, how ipvsadm and the logs name it. */
    public String endpoint() {
        return address + ":" + port;
    }

    public Destination withWeight(int w) {
        return new Destination(address, port, method, w);
    }
}
