package piranha.lvsd.table;

/** One change to the table, in IPVS terms; each is one ipvsadm command. */
public sealed interface TableOp {

    record AddService(ServiceSpec spec) implements TableOp {}

    record EditService(ServiceSpec spec) implements TableOp {}

    record DeleteService(ServiceKey key) implements TableOp {}

    record AddDestination(ServiceKey service, Destination destination) implements TableOp {}

    record EditDestination(ServiceKey service, Destination destination) implements TableOp {}

    record DeleteDestination(ServiceKey service, Destination destination) implements TableOp {}

    /** {@code ipvsadm --set TCP TCPFIN UDP}; 0 leaves a timeout as the kernel has it. */
    record SetTimeouts(int tcp, int tcpfin, int udp) implements TableOp {}

    /** The service this change concerns, or null for global changes. */
    default ServiceKey service() {
        if (this instanceof AddService a) {
            return a.spec().key();
        } else if (this instanceof EditService e) {
            return e.spec().key();
        } else if (this instanceof DeleteService d) {
            return d.key();
        } else if (this instanceof AddDestination a) {
            return a.service();
        } else if (this instanceof EditDestination e) {
            return e.service();
        } else if (this instanceof DeleteDestination d) {
            return d.service();
        }
        return null;
    }
}
