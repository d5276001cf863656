package piranha.lvsd;

import piranha.dataplane.ServiceKey;

/** A real server within a virtual service: what one nanny watches and one table entry holds. */
public record ServerId(ServiceKey service, String endpoint) {
    @Override
    public String toString() {
        return service.ipvsadm() + " -r " + endpoint;
    }
}
