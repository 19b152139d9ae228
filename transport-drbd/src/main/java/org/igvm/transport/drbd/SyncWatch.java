package org.igvm.transport.drbd;

import java.util.List;
import org.igvm.api.CancelledException;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.shell.ShellCommand;
import org.igvm.domain.spi.transport.TransportContext;

/**
 * Waits until the resources are in sync, reading each one's state on the source ({@code drbdsetup
 * events2 --now --statistics}) every poll interval and reporting the bytes in sync, the rate and
 * (through the progress sink's rate) the time left. Fails when the two sides are not connected
 * for the connect timeout (at the start, or after the link dropped), when nothing is synced for
 * the stall timeout, and ends early on cancellation.
 */
final class SyncWatch {
    private final TransportContext context;
    private final DrbdSettings settings;

    SyncWatch(TransportContext context, DrbdSettings settings) {
        this.context = context;
        this.settings = settings;
    }

    /** The resource's state on one side. */
    DrbdState state(DrbdSide side, String resource) {
        var r = side.shell.run(ShellCommand.of("drbdsetup", "events2", "--now", "--statistics", resource)
                .idempotent());
        if (!r.succeeded()) {
            throw new OperationFailedException("could not read the state of the DRBD resource " + resource + " on "
                    + side.hypervisor + ": " + DrbdSession.lastLine(r.stderr()));
        }
        return DrbdState.parse(r.stdout());
    }

    /** Returns once every resource is in sync; {@code what} names the wait in the progress steps. */
    void awaitSync(List<Replication> replications, String what) {
        long total = replications.stream().mapToLong(r -> r.source.sizeBytes).sum();
        long doneBefore = 0;
        for (Replication r : replications) {
            context.progress()
                    .step(what + " " + r.resource + " (" + r.source.hypervisor + " -> " + r.target.hypervisor + ")");
            awaitOne(r, doneBefore, total);
            doneBefore += r.source.sizeBytes;
        }
    }

    private void awaitOne(Replication r, long doneBefore, long total) {
        long pollMillis = settings.pollInterval().toMillis();
        long now = System.nanoTime();
        long lastLinked = now;
        long lastProgress = now;
        long lastOutOfSync = Long.MAX_VALUE;
        long lastSampleAt = now;
        long lastSampleDone = -1;
        long rate = -1;
        while (true) {
            if (context.cancellation().isCancelled()) {
                throw new CancelledException("cancelled while syncing the DRBD resource " + r.resource);
            }
            DrbdState s = state(r.source, r.resource);
            now = System.nanoTime();
            if (!s.exists()) {
                throw new OperationFailedException(
                        "the DRBD resource " + r.resource + " is gone on " + r.source.hypervisor + " during the sync");
            }
            long size = r.source.sizeBytes;
            long outOfSync = s.outOfSyncKiB().isPresent()
                    ? Math.min(size, s.outOfSyncKiB().getAsLong() * 1024)
                    : s.donePercent().isPresent()
                            ? (long) (size * (100 - s.donePercent().getAsDouble()) / 100)
                            : size;
            if (s.inSync()) {
                context.progress().bytes(doneBefore + size, total, rate);
                return;
            }
            if (s.linked()) {
                lastLinked = now;
            } else if (now - lastLinked > settings.connectTimeout().toNanos()) {
                throw new OperationFailedException("the DRBD resource " + r.resource + " between " + r.source.hypervisor
                        + ":" + r.source.port + " and " + r.target.hypervisor + ":" + r.target.port
                        + " has not been connected for "
                        + settings.connectTimeout().toSeconds() + " s: " + s.summary());
            }
            if (outOfSync < lastOutOfSync) {
                lastOutOfSync = outOfSync;
                lastProgress = now;
            } else if (s.linked()
                    && now - lastProgress > settings.stallTimeout().toNanos()) {
                throw new OperationFailedException("the DRBD sync of " + r.resource + " has made no progress for "
                        + settings.stallTimeout().toSeconds() + " s: " + s.summary());
            }
            long done = size - outOfSync;
            if (lastSampleDone >= 0 && now > lastSampleAt && done >= lastSampleDone) {
                long sample = (long) ((done - lastSampleDone) * 1e9 / (now - lastSampleAt));
                rate = rate < 0 ? sample : (rate * 2 + sample) / 3;
            }
            lastSampleDone = done;
            lastSampleAt = now;
            context.progress().bytes(doneBefore + done, total, rate);
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancelledException("cancelled while syncing the DRBD resource " + r.resource);
            }
        }
    }
}
