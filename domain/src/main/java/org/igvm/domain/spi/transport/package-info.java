/**
 * The disk transport SPI: what a transport jar implements to move a VM's disks between
 * hypervisors. A plugin offers {@link org.igvm.domain.spi.transport.DiskTransportFactory
 * factories}; the migrate flow creates one {@link org.igvm.domain.spi.transport.TransportSession
 * session} per migration from a {@link org.igvm.domain.spi.transport.TransportContext} and drives
 * it through its phases.
 *
 * <p>Like every package under {@code org.igvm.domain.spi}, this one depends on {@code
 * org.igvm.api}, the other SPI packages and the JDK only; it is all of igvm a plugin's class loader
 * sees (with {@code org.slf4j} for logging).
 *
 * @since 0.2
 */
package org.igvm.domain.spi.transport;
