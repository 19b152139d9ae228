package org.igvm.domain.lock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.igvm.api.ConflictException;
import org.igvm.api.NotFoundException;
import org.igvm.api.RefusedException;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.InventoryPort;
import org.igvm.domain.inventory.ObjectChange;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.shell.SuggestedCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * igvm's locks on VMs and hypervisors (spec §2): {@code igvm_locked} goes from empty to now in one
 * conditional inventory commit, so of several takers exactly one wins, in any number of processes
 * sharing the inventory. The holder and the time it took the lock are recorded in {@code
 * igvm_locked_by} ({@code alice@ops1 pid 4711 since 2026-11-26 03:20:00+0000}).
 *
 * <p>Locks are alive: while held, a heartbeat moves {@code igvm_locked} to now every heartbeat
 * interval, each time conditionally on the value it wrote before. A lock is stale once its
 * heartbeat has stopped for longer than {@code staleAfter} (its holder was killed, its machine is
 * gone), or at once when its holder ran on this machine and is no longer running. When a renewal
 * finds the lock broken or taken by someone else, the holder is told through the callback it gave
 * {@link #acquire(ServerObject, Consumer)}.
 */
public final class ObjectLocks implements AutoCloseable {
    public static final String LOCKED = "igvm_locked";
    public static final String LOCKED_BY = "igvm_locked_by";
    private static final Logger log = LoggerFactory.getLogger(ObjectLocks.class);

    private final InventoryPort inventory;
    private final Clock clock;
    private final LockOwner self;
    private final Duration staleAfter;
    private final Duration heartbeat;
    private final Set<Lock> held = new LinkedHashSet<>();
    private ScheduledExecutorService heartbeats;

    public ObjectLocks(InventoryPort inventory, Clock clock, LockOwner self, Duration staleAfter) {
        this(inventory, clock, self, staleAfter, defaultHeartbeat(staleAfter));
    }

    public ObjectLocks(InventoryPort inventory, Clock clock, LockOwner self, Duration staleAfter, Duration heartbeat) {
        if (heartbeat.isZero() || heartbeat.isNegative() || heartbeat.compareTo(staleAfter) >= 0) {
            throw new IllegalArgumentException("the lock heartbeat (" + heartbeat.toMillis()
                    + " ms) must be positive and shorter than the stale age (" + staleAfter.toMillis() + " ms)");
        }
        this.inventory = inventory;
        this.clock = clock;
        this.self = self;
        this.staleAfter = staleAfter;
        this.heartbeat = heartbeat;
    }

    /** A quarter of the stale age, at most a minute: a few missed beats are not yet stale. */
    public static Duration defaultHeartbeat(Duration staleAfter) {
        Duration quarter = staleAfter.dividedBy(4);
        return quarter.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : quarter;
    }

    /** Takes the object's lock or fails with "already being worked on by another igvm". */
    public HeldLock acquire(ServerObject object) {
        return acquire(object, reason -> log.warn("{}", reason));
    }

    /**
     * Takes the object's lock or fails with "already being worked on by another igvm". {@code
     * onLost} hears, on the heartbeat thread, when a renewal finds the lock broken by someone else.
     */
    public HeldLock acquire(ServerObject object, Consumer<String> onLost) {
        String stamp = LockTimestamps.format(clock.instant());
        String by = self.text() + " since " + stamp;
        try {
            inventory.commit(Commit.of(ObjectChange.set(object.objectId(), LOCKED, null, stamp)
                    .and(LOCKED_BY, object.string(LOCKED_BY), by)));
        } catch (ConflictException lost) {
            LockStatus status = status(fresh(object));
            if (!status.locked()) {
                // Someone changed another attribute of the object meanwhile; the lock itself was free.
                return acquire(fresh(object), onLost);
            }
            throw new ConflictException(object.hostname() + " is already being worked on by another igvm ("
                    + status.describeHolder() + ")"
                    + (status.stale()
                            ? "; if you are sure, break it with: " + SuggestedCommand.igvm("unlock", object.hostname())
                            : ""));
        }
        Lock lock = new Lock(object.objectId(), object.hostname(), stamp, by, onLost);
        synchronized (held) {
            held.add(lock);
            lock.beat = scheduler()
                    .scheduleWithFixedDelay(
                            lock::renew, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        }
        log.debug("locked {}", object.hostname());
        return lock;
    }

    /** What the object's lock looks like now. */
    public LockStatus status(ServerObject object) {
        String stamp = object.string(LOCKED);
        if (stamp == null || stamp.isEmpty()) {
            return LockStatus.free(object.hostname());
        }
        Instant now = clock.instant();
        Instant beat = LockTimestamps.parse(stamp);
        String byText = object.string(LOCKED_BY);
        String ownerText = byText;
        Instant since = beat;
        if (byText != null && byText.contains(" since ")) {
            int at = byText.lastIndexOf(" since ");
            ownerText = byText.substring(0, at);
            Instant taken = LockTimestamps.parse(byText.substring(at + " since ".length()));
            since = taken == null ? beat : taken;
        }
        LockOwner owner = LockOwner.parse(ownerText);
        Duration age = beat == null ? null : Duration.between(beat, now);
        String stale = null;
        if (beat == null) {
            stale = "its timestamp '" + stamp + "' is unreadable";
        } else if (age.compareTo(staleAfter) > 0) {
            stale = "no heartbeat for more than " + describe(staleAfter);
        } else if (owner != null
                && owner.host().equals(self.host())
                && owner.pid() != self.pid()
                && ProcessHandle.of(owner.pid()).map(p -> !p.isAlive()).orElse(true)) {
            stale = "its holder, pid " + owner.pid() + " on this machine, is no longer running";
        }
        return new LockStatus(object.hostname(), true, since, ownerText, beat, age, stale);
    }

    /**
     * Breaks the object's lock (the operator confirmed). Refuses when the object is not locked, and
     * a fresh lock (its holder's heartbeat alive) unless {@code force}. The break is conditional on
     * the lock as it was read: a lock that changed meanwhile is not broken.
     */
    public LockStatus breakLock(ServerObject object, boolean force) {
        ServerObject current = fresh(object);
        LockStatus status = status(current);
        if (!status.locked()) {
            throw new RefusedException(object.hostname() + " is not locked; nothing to unlock");
        }
        if (!status.stale() && !force) {
            throw new RefusedException(object.hostname() + " is " + status.describeHolder()
                    + ": it is still being worked on, so it is not unlocked; --force breaks it anyway");
        }
        try {
            inventory.commit(Commit.of(ObjectChange.set(current.objectId(), LOCKED, current.string(LOCKED), null)
                    .and(LOCKED_BY, current.string(LOCKED_BY), null)));
        } catch (ConflictException changed) {
            throw new ConflictException(object.hostname()
                    + "'s lock changed while it was being broken (its holder is alive or another igvm took it);"
                    + " check it again with: " + SuggestedCommand.igvm("unlock", object.hostname()));
        }
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

    /**
     * Stops the heartbeat. Locks still held are not released (their operation may still run): they
     * turn stale once the stale age has passed; {@link #releaseAll()} releases them.
     */
    @Override
    public void close() {
        synchronized (held) {
            if (heartbeats != null) {
                heartbeats.shutdownNow();
            }
        }
    }

    private ScheduledExecutorService scheduler() {
        if (heartbeats == null) {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "igvm-lock-heartbeat");
                t.setDaemon(true);
                return t;
            });
            executor.setRemoveOnCancelPolicy(true);
            heartbeats = executor;
        }
        return heartbeats;
    }

    private ServerObject fresh(ServerObject object) {
        return inventory
                .get(object.objectId())
                .orElseThrow(() -> new NotFoundException(object.hostname() + " vanished from the inventory"));
    }

    private static String describe(Duration d) {
        long s = d.toSeconds();
        return s % 60 == 0 && s >= 60 ? (s / 60) + " min" : s + " s";
    }

    private final class Lock implements HeldLock {
        private final long objectId;
        private final String hostname;
        private final String by;
        private final Consumer<String> onLost;
        private String stamp; // guarded by this
        private boolean over; // released or lost; guarded by this
        private ScheduledFuture<?> beat; // guarded by held

        Lock(long objectId, String hostname, String stamp, String by, Consumer<String> onLost) {
            this.objectId = objectId;
            this.hostname = hostname;
            this.stamp = stamp;
            this.by = by;
            this.onLost = onLost;
        }

        @Override
        public String hostname() {
            return hostname;
        }

        /** One heartbeat: igvm_locked moves to now, if it still is what this lock wrote last. */
        void renew() {
            String lostBecause = null;
            synchronized (this) {
                if (over) {
                    return;
                }
                String next = LockTimestamps.format(clock.instant());
                if (next.equals(stamp)) {
                    return;
                }
                try {
                    inventory.commit(Commit.of(
                            ObjectChange.set(objectId, LOCKED, stamp, next).and(LOCKED_BY, by, by)));
                    stamp = next;
                } catch (ConflictException changed) {
                    ServerObject now = inventory.get(objectId).orElse(null);
                    boolean stillOurs =
                            now != null && stamp.equals(now.string(LOCKED)) && by.equals(now.string(LOCKED_BY));
                    if (!stillOurs) {
                        over = true;
                        lostBecause = "the lock on " + hostname + " was broken by someone else"
                                + (now == null || now.isEmpty(LOCKED_BY)
                                        ? ""
                                        : " and is now held by " + now.string(LOCKED_BY));
                    }
                } catch (RuntimeException e) {
                    // The inventory may be back at the next beat; until the stale age nobody breaks it.
                    log.warn("could not renew the lock on {}: {}", hostname, e.getMessage());
                }
            }
            if (lostBecause != null) {
                stopBeating();
                log.warn("{}", lostBecause);
                onLost.accept(lostBecause);
            }
        }

        private void stopBeating() {
            synchronized (held) {
                held.remove(this);
                if (beat != null) {
                    beat.cancel(false);
                }
            }
        }

        @Override
        public void close() {
            synchronized (held) {
                if (!held.remove(this)) {
                    return;
                }
                if (beat != null) {
                    beat.cancel(false);
                }
            }
            synchronized (this) {
                if (over) {
                    return;
                }
                over = true;
                try {
                    if (inventory.get(objectId).isEmpty()) {
                        return; // deleted with its lock
                    }
                    inventory.commit(Commit.of(
                            ObjectChange.set(objectId, LOCKED, stamp, null).and(LOCKED_BY, by, null)));
                    log.debug("unlocked {}", hostname);
                } catch (RuntimeException e) {
                    log.warn("could not release the lock on {}: {}", hostname, e.getMessage());
                }
            }
        }
    }
}
