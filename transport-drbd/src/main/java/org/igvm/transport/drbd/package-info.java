/**
 * The {@code drbd} disk transport: live replication of LVM volumes with DRBD 8.4 for offline and
 * online migrations. See {@link org.igvm.transport.drbd.DrbdTransportFactory}.
 */
package org.igvm.transport.drbd;
