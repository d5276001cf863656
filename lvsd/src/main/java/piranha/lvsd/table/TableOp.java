package piranha.lvsd.table;

import piranha.dataplane.DestinationSpec;
import piranha.dataplane.IpvsOperations;
import piranha.dataplane.ServiceKey;
import piranha.dataplane.ServiceSpec;
import piranha.dataplane.Timeouts;

/**
 * One change to the table, in IPVS terms: one of the {@link IpvsOperations}, which a backend
 * carries out with {@link #on} (each is one ipvsadm command).
 */
public sealed interface TableOp {

    /** The operation applied to {@code table}: carried out, or spelled as ipvsadm arguments. */
    <R> R on(IpvsOperations<R> table);

    record AddService(ServiceSpec spec) implements TableOp {
        @Override
        public <R> R on(IpvsOperations<R> table) {
            return table.addService(spec);
        }
    }

    record EditService(ServiceSpec spec) implements TableOp {
        @Override
        public <R> R on(IpvsOperations<R> table) {
            return table.editService(spec);
        }
    }

    record DeleteService(ServiceKey service) implements TableOp {
        @Override
        public <R> R on(IpvsOperations<R> table) {
            return table.deleteService(service);
        }
    }

    record AddDestination(ServiceKey service, DestinationSpec destination) implements TableOp {
        @Override
        public <R> R on(IpvsOperations<R> table) {
            return table.addDestination(service, destination);
        }
    }

    record EditDestination(ServiceKey service, DestinationSpec destination) implements TableOp {
        @Override
        public <R> R on(IpvsOperations<R> table) {
            return table.editDestination(service, destination);
        }
    }

    record DeleteDestination(ServiceKey service, DestinationSpec destination) implements TableOp {
        @Override
        public <R> R on(IpvsOperations<R> table) {
            return table.deleteDestination(service, destination.address());
        }
    }

    /** {@code ipvsadm --set TCP TCPFIN UDP}; 0 leaves a timeout as the kernel has it. */
    record SetTimeouts(Timeouts timeouts) implements TableOp {
        @Override
        public <R> R on(IpvsOperations<R> table) {
            return table.setTimeouts(timeouts);
        }

        /** Whether it changes nothing (lvs.cf sets no timeout). */
        public boolean isEmpty() {
            return timeouts.tcp() == 0 && timeouts.tcpfin() == 0 && timeouts.udp() == 0;
        }
    }
}
