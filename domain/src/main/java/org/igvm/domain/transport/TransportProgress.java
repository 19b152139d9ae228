package org.igvm.domain.transport;

/** Receives a transport's progress, e.g. to print it. */
@FunctionalInterface
public interface TransportProgress {
    void update(long bytesDone, long bytesTotal);
}
