package org.igvm.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.igvm.api.ConflictException;
import org.igvm.api.RefusedException;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.lock.HeldLock;
import org.igvm.domain.lock.LockOwner;
import org.igvm.domain.lock.LockStatus;
import org.igvm.domain.lock.ObjectLocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** igvm's locks on the real SQLite inventory: one winner, release, stale detection, breaking. */
class TestObjectLocks {
    @TempDir
    Path dir;

    TestFleet fleet;

    @BeforeEach
    void createFleet() throws Exception {
        fleet = TestFleet.create(dir, Map.of());
    }

    @AfterEach
    void closeFleet() {
        fleet.close();
    }

    @Test
    void ofEightRacingThreadsExactlyOneGetsTheLock() throws Exception {
        ServerObject web01 = fleet.object("web01.example.net");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HeldLock>> attempts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            // Each thread is its own igvm (another pid), sharing one inventory.
            ObjectLocks locks = new ObjectLocks(
                    fleet.inventory(),
                    Clock.systemUTC(),
                    new LockOwner("op" + i, "ops", 1000 + i),
                    Duration.ofHours(1));
            attempts.add(pool.submit(() -> {
                start.await();
                try {
                    return locks.acquire(web01);
                } catch (ConflictException lost) {
                    return null;
                }
            }));
        }
        start.countDown();
        List<HeldLock> winners = new ArrayList<>();
        for (Future<HeldLock> attempt : attempts) {
            HeldLock lock = attempt.get(60, TimeUnit.SECONDS);
            if (lock != null) {
                winners.add(lock);
            }
        }
        pool.shutdown();
        assertThat(winners).hasSize(1);
        assertThat(fleet.object("web01.example.net").string("igvm_locked_by"))
                .matches("op\\d@ops pid 10\\d\\d since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\+0000");

        winners.get(0).close();
        assertThat(fleet.object("web01.example.net").isEmpty("igvm_locked")).isTrue();
    }

    @Test
    void aLockWhoseHolderDiedOnThisMachineIsStaleAndCanBeBroken() throws Exception {
        LockOwner self = LockOwner.current();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        ObjectLocks theirs = new ObjectLocks(
                fleet.inventory(),
                Clock.systemUTC(),
                new LockOwner("bob", self.host(), gone.pid()),
                Duration.ofHours(1));
        theirs.acquire(fleet.object("db01.example.net"));

        ObjectLocks mine = new ObjectLocks(fleet.inventory(), Clock.systemUTC(), self, Duration.ofHours(1));
        LockStatus status = mine.status(fleet.object("db01.example.net"));
        assertThat(status.locked()).isTrue();
        assertThat(status.stale()).isTrue();
        assertThat(status.owner()).isEqualTo("bob@" + self.host() + " pid " + gone.pid());

        mine.breakLock(fleet.object("db01.example.net"), true);
        assertThat(fleet.object("db01.example.net").isEmpty("igvm_locked")).isTrue();
        assertThat(mine.acquire(fleet.object("db01.example.net")).hostname()).isEqualTo("db01.example.net");
    }

    @Test
    void aLockOlderThanTheConfiguredAgeIsStaleAndAYoungOneIsNot() {
        Instant then = Instant.parse("2026-01-01T00:00:00Z");
        ObjectLocks theirs = new ObjectLocks(
                fleet.inventory(),
                Clock.fixed(then, ZoneOffset.UTC),
                new LockOwner("bob", "elsewhere", 7),
                Duration.ofHours(1));
        theirs.acquire(fleet.object("web02.example.net"));

        ObjectLocks soon = new ObjectLocks(
                fleet.inventory(),
                Clock.fixed(then.plus(Duration.ofMinutes(30)), ZoneOffset.UTC),
                LockOwner.current(),
                Duration.ofHours(1));
        assertThat(soon.status(fleet.object("web02.example.net")).stale()).isFalse();
        ObjectLocks later = new ObjectLocks(
                fleet.inventory(),
                Clock.fixed(then.plus(Duration.ofHours(2)), ZoneOffset.UTC),
                LockOwner.current(),
                Duration.ofHours(1));
        assertThat(later.status(fleet.object("web02.example.net")).stale()).isTrue();
        assertThat(later.status(fleet.object("web02.example.net")).describe())
                .isEqualTo("web02.example.net is locked by bob@elsewhere pid 7 since 2026-01-01 00:00:00+0000,"
                        + " heartbeat seen 7200 s ago (stale: no heartbeat for more than 60 min)");
    }

    @Test
    void releaseAllFreesEveryHeldLockAndBreakingAFreeLockIsRefused() {
        ObjectLocks locks = fleet.runtime.locks();
        locks.acquire(fleet.object("web01.example.net"));
        locks.acquire(fleet.object("hv01.example.net"));
        locks.releaseAll();
        assertThat(fleet.object("web01.example.net").isEmpty("igvm_locked")).isTrue();
        assertThat(fleet.object("hv01.example.net").isEmpty("igvm_locked")).isTrue();
        assertThatThrownBy(() -> locks.breakLock(fleet.object("web01.example.net"), true))
                .isInstanceOf(RefusedException.class)
                .hasMessage("web01.example.net is not locked; nothing to unlock");
    }
}
