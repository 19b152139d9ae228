package org.igvm.api;

import java.util.Objects;

/**
 * What {@link Igvm#changeAddress} does.
 *
 * @param vm the VM's hostname (a unique short name is enough)
 * @param ip the new address (IPv4 or IPv6)
 * @param network the route network the address belongs to; null to find it by the address
 * @param offline the operator's consent to shut the VM down (required)
 * @param migrate move the VM to a hypervisor that serves the new network if its own does not
 * @param diskTransport the disk transport of that move (offline); null for migrate's default
 *     (since 0.4)
 * @param hypervisorQuery where that move may go, as migrate's {@code HV_QUERY} (a plain hostname
 *     pins it); null for placement's choice among those serving the new network (since 0.4)
 * @since 0.3
 */
public record ChangeAddressRequest(
        String vm,
        String ip,
        String network,
        boolean offline,
        boolean migrate,
        String diskTransport,
        String hypervisorQuery) {
    public ChangeAddressRequest {
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(ip, "ip");
    }

    /** A request whose move, if any, takes migrate's default offline transport. */
    public ChangeAddressRequest(String vm, String ip, String network, boolean offline, boolean migrate) {
        this(vm, ip, network, offline, migrate, null, null);
    }

    public static Builder builder(String vm, String ip) {
        return new Builder(vm, ip);
    }

    /** Builds a {@link ChangeAddressRequest}; every option starts off. */
    public static final class Builder {
        private final String vm;
        private final String ip;
        private String network;
        private boolean offline;
        private boolean migrate;
        private String diskTransport;
        private String hypervisorQuery;

        private Builder(String vm, String ip) {
            this.vm = vm;
            this.ip = ip;
        }

        public Builder network(String network) {
            this.network = network;
            return this;
        }

        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /** @since 0.4 */
        public Builder diskTransport(String diskTransport) {
            this.diskTransport = diskTransport;
            return this;
        }

        /** @since 0.4 */
        public Builder hypervisorQuery(String hypervisorQuery) {
            this.hypervisorQuery = hypervisorQuery;
            return this;
        }

        public ChangeAddressRequest build() {
            return new ChangeAddressRequest(vm, ip, network, offline, migrate, diskTransport, hypervisorQuery);
        }
    }
}
