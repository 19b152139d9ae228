package org.igvm.domain.command;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.igvm.api.MigrationProgress;
import org.igvm.domain.spi.transport.TransportPhase;
import org.igvm.domain.spi.transport.TransportProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transport's progress passed on to the API's listener, remembering the bytes moved and the
 * downtime measured for the result. A listener that throws is logged, never fails the migration.
 */
final class MigrationProgressBridge implements TransportProgress {
    private static final Logger log = LoggerFactory.getLogger(MigrationProgressBridge.class);

    private final MigrationProgress listener;
    private final AtomicLong bytesDone = new AtomicLong();
    private final AtomicReference<Duration> downtime = new AtomicReference<>();

    MigrationProgressBridge(MigrationProgress listener) {
        this.listener = listener;
    }

    /** A phase of the flow (those of the session and the flow's own, e.g. {@code shutdown}). */
    void flowPhase(String phase) {
        tell(() -> listener.phase(phase));
    }

    static String word(TransportPhase phase) {
        return phase.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    @Override
    public void phase(TransportPhase phase) {
        flowPhase(word(phase));
    }

    @Override
    public void step(String description) {
        tell(() -> listener.step(description));
    }

    @Override
    public void bytes(long done, long total, long bytesPerSecond) {
        bytesDone.accumulateAndGet(done, Math::max);
        tell(() -> listener.bytes(done, total, bytesPerSecond));
    }

    @Override
    public void memory(double percent, long bytesPerSecond) {
        tell(() -> listener.memory(percent, bytesPerSecond));
    }

    @Override
    public void downtime(Duration measured) {
        downtime.set(measured);
        tell(() -> listener.downtime(measured));
    }

    /** The most bytes the transport reported as moved. */
    long bytesDone() {
        return bytesDone.get();
    }

    /** The downtime the transport measured, or null. */
    Duration measuredDowntime() {
        return downtime.get();
    }

    private static void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.debug("the migration's progress listener failed: {}", e.toString());
        }
    }
}
