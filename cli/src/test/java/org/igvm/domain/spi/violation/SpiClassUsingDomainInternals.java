package org.igvm.domain.spi.violation;

import org.igvm.domain.lock.ObjectLocks;

/**
 * A deliberate breach of the SPI rule (an SPI type reaching into the domain's internals), so its
 * test can show the rule fails on one.
 */
public final class SpiClassUsingDomainInternals {
    public void use(ObjectLocks locks) {
        locks.releaseAll();
    }
}
