package org.igvm.domain.lock;

/** A lock this process holds; closing it releases it. */
public interface HeldLock extends AutoCloseable {
    String hostname();

    @Override
    void close();
}
