package org.igvm.domain.lock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.igvm.api.ConflictException;
import org.igvm.api.NotFoundException;
import org.igvm.api.RefusedException;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.InventoryPort;
import org.igvm.domain.inventory.ObjectChange;
import org.igvm.domain.inventory.ServerObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * igvm's locks on VMs and hypervisors (spec §2): {@code igvm_locked} goes from empty to now in one
 * conditional inventory commit, so of several takers exactly one wins, in any number of processes
 * sharing the inventory. The holder is recorded in {@code igvm_locked_by}.
 */
public final class ObjectLocks {
    public static final String LOCKED = "igvm_locked";
    public static final String LOCKED_BY = "igvm_locked_by";
    private static final Logger log = LoggerFactory.getLogger(ObjectLocks.class);

    private final InventoryPort inventory;
    private final Clock clock;
    private final LockOwner self;
    private final Duration staleAfter;
    private final Set<Lock> held = new LinkedHashSet<>();

    public ObjectLocks(InventoryPort inventory, Clock clock, LockOwner self, Duration staleAfter) {
        this.inventory = inventory;
        this.clock = clock;
        this.self = self;
        this.staleAfter = staleAfter;
    }

    /** Takes the object's lock or fails with "already being worked on by another igvm". */
    public HeldLock acquire(ServerObject object) {
        String stamp = LockTimestamps.format(clock.instant());
        try {
            inventory.commit(Commit.of(ObjectChange.set(object.objectId(), LOCKED, null, stamp)
                    .and(LOCKED_BY, object.string(LOCKED_BY), self.text())));
        } catch (ConflictException lost) {
            LockStatus status = status(fresh(object));
            if (!status.locked()) {
                // Someone changed another attribute of the object meanwhile; the lock itself was free.
                return acquire(fresh(object));
            }
            throw new ConflictException(object.hostname() + " is already being worked on by another igvm ("
                    + status.describe().substring(object.hostname().length() + 1)
                    + ")"
                    + (status.stale() ? "; if you are sure, break it with: igvm unlock " + object.hostname() : ""));
        }
        Lock lock = new Lock(object.objectId(), object.hostname(), stamp);
        synchronized (held) {
            held.add(lock);
        }
        log.debug("locked {}", object.hostname());
        return lock;
    }

    /** What the object's lock looks like now. */
    public LockStatus status(ServerObject object) {
        String stamp = object.string(LOCKED);
        if (stamp == null || stamp.isEmpty()) {
            return new LockStatus(object.hostname(), false, null, null, false);
        }
        Instant since = LockTimestamps.parse(stamp);
        String ownerText = object.string(LOCKED_BY);
        LockOwner owner = LockOwner.parse(ownerText);
        boolean old = since == null || since.plus(staleAfter).isBefore(clock.instant());
        boolean holderGone = owner != null
                && owner.host().equals(self.host())
                && owner.pid() != self.pid()
                && ProcessHandle.of(owner.pid()).map(p -> !p.isAlive()).orElse(true);
        return new LockStatus(object.hostname(), true, since, ownerText, old || holderGone);
    }

    /**
     * Breaks the object's lock (the operator confirmed). Refuses when the object is not locked;
     * {@code force} is meant to be required for a lock that is still fresh (its heartbeat alive).
     */
    public LockStatus breakLock(ServerObject object, boolean force) {
        LockStatus status = status(object);
        if (!status.locked()) {
            throw new RefusedException(object.hostname() + " is not locked; nothing to unlock");
        }
        inventory.commit(Commit.of(ObjectChange.set(object.objectId(), LOCKED, object.string(LOCKED), null)
                .and(LOCKED_BY, object.string(LOCKED_BY), null)));
        log.info("broke the lock on {} ({})", object.hostname(), status.describe());
        return status;
    }

    /** Releases every lock this process still holds (on Ctrl-C or at exit). */
    public void releaseAll() {
        List<Lock> locks;
        synchronized (held) {
            locks = List.copyOf(held);
        }
        locks.forEach(Lock::close);
    }

    private ServerObject fresh(ServerObject object) {
        return inventory
                .get(object.objectId())
                .orElseThrow(() -> new NotFoundException(object.hostname() + " vanished from the inventory"));
    }

    private final class Lock implements HeldLock {
        private final long objectId;
        private final String hostname;
        private final String stamp;

        Lock(long objectId, String hostname, String stamp) {
            this.objectId = objectId;
            this.hostname = hostname;
            this.stamp = stamp;
        }

        @Override
        public String hostname() {
            return hostname;
        }

        @Override
        public void close() {
            synchronized (held) {
                if (!held.remove(this)) {
                    return;
                }
            }
            if (inventory.get(objectId).isEmpty()) {
                return; // deleted with its lock
            }
            try {
                inventory.commit(Commit.of(
                        ObjectChange.set(objectId, LOCKED, stamp, null).and(LOCKED_BY, self.text(), null)));
                log.debug("unlocked {}", hostname);
            } catch (RuntimeException e) {
                log.warn("could not release the lock on {}: {}", hostname, e.getMessage());
            }
        }
    }
}
