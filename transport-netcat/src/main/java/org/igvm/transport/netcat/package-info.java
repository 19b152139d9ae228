/**
 * The {@code netcat} disk transport: an offline, verified, sparse-aware copy of each volume over
 * {@code nc}, driven by a small Python 3 program that igvm puts on both hypervisors for the length
 * of the copy. See {@link org.igvm.transport.netcat.NetcatTransportFactory}.
 */
package org.igvm.transport.netcat;
