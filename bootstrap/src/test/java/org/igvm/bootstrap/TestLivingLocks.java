package org.igvm.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.igvm.api.ExitCodes;
import org.igvm.api.RefusedException;
import org.igvm.domain.lock.LockOwner;
import org.igvm.domain.lock.LockStatus;
import org.igvm.domain.lock.ObjectLocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Locks held by another igvm process on a shared SQLite inventory: alive while their holder's
 * heartbeat goes on, stale once it has stopped for longer than the stale age. The holder's owner
 * names another machine, so the age rule is what is tested, not the dead-pid fast path.
 */
class TestLivingLocks {
    static final String WEB01 = "web01.example.net";
    static final Duration STALE = Duration.ofSeconds(3);
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    TestFleet fleet;
    ObjectLocks mine;

    @BeforeEach
    void createFleet() throws Exception {
        fleet = TestFleet.create(dir, Map.of());
        mine = new ObjectLocks(fleet.inventory(), Clock.systemUTC(), LockOwner.current(), STALE);
    }

    @AfterEach
    void closeFleet() {
        mine.close();
        fleet.close();
    }

    ChildJvm holder() throws Exception {
        ChildJvm child = ChildJvm.start(
                LockHolderProcess.class,
                "jdbc:sqlite:" + dir.resolve("inventory.db"),
                WEB01,
                Long.toString(STALE.toSeconds()),
                "400");
        assertThat(child.awaitLineStartingWith("locked", WAIT)).isEqualTo("locked");
        return child;
    }

    @Test
    void aLiveHolderStaysFreshPastTheStaleAgeAndItsLockTurnsStaleAfterKill9() throws Exception {
        try (ChildJvm child = holder()) {
            // Three stale ages long, the lock is never stale: its heartbeat moves igvm_locked on.
            Set<String> heartbeats = new HashSet<>();
            long until = System.nanoTime() + STALE.multipliedBy(3).toNanos();
            while (System.nanoTime() < until) {
                LockStatus status = mine.status(fleet.object(WEB01));
                assertThat(status.locked()).isTrue();
                assertThat(status.stale()).as(status.describe()).isFalse();
                heartbeats.add(fleet.object(WEB01).string("igvm_locked"));
                Thread.sleep(250);
            }
            assertThat(heartbeats).as("igvm_locked values seen").hasSizeGreaterThan(3);
            assertThat(mine.status(fleet.object(WEB01)).owner()).isEqualTo("child@elsewhere.test pid " + child.pid());

            child.kill();
            assertThat(child.alive()).isFalse();

            LockStatus stale = awaitStale();
            assertThat(stale.staleReason()).isEqualTo("no heartbeat for more than 3 s");
            assertThat(stale.describe()).startsWith(WEB01 + " is locked by child@elsewhere.test pid " + child.pid());

            // A stale lock is broken without --force, and the object can be locked again.
            mine.breakLock(fleet.object(WEB01), false);
            assertThat(fleet.object(WEB01).isEmpty("igvm_locked")).isTrue();
            assertThat(fleet.object(WEB01).isEmpty("igvm_locked_by")).isTrue();
            mine.acquire(fleet.object(WEB01)).close();
        }
    }

    @Test
    void breakingAFreshLockIsRefusedWithoutForceAndForceTellsTheHolder() throws Exception {
        try (ChildJvm child = holder()) {
            String before = fleet.object(WEB01).string("igvm_locked_by");

            assertThatThrownBy(() -> mine.breakLock(fleet.object(WEB01), false))
                    .isInstanceOf(RefusedException.class)
                    .hasMessageStartingWith(WEB01 + " is locked by child@elsewhere.test pid " + child.pid() + " since ")
                    .hasMessageContaining(", heartbeat seen ")
                    .hasMessageContaining(" s ago")
                    .hasMessageEndingWith(
                            "it is still being worked on, so it is not unlocked; --force breaks it anyway")
                    .satisfies(
                            e -> assertThat(((RefusedException) e).exitCode()).isEqualTo(ExitCodes.REFUSED));
            assertThat(fleet.object(WEB01).string("igvm_locked_by")).isEqualTo(before);

            mine.breakLock(fleet.object(WEB01), true);

            assertThat(child.awaitLineStartingWith("lost: ", WAIT))
                    .isEqualTo("lost: the lock on " + WEB01 + " was broken by someone else");
            // The holder's heartbeat stopped and did not bring the lock back.
            Thread.sleep(1000);
            assertThat(fleet.object(WEB01).isEmpty("igvm_locked")).isTrue();
        }
    }

    @Test
    void aHolderThatReleasesItsLockLeavesNothingBehind() throws Exception {
        try (ChildJvm child = holder()) {
            child.send("release");
            assertThat(child.awaitLineStartingWith("released", WAIT)).isEqualTo("released");
            assertThat(fleet.object(WEB01).isEmpty("igvm_locked")).isTrue();
            assertThat(fleet.object(WEB01).isEmpty("igvm_locked_by")).isTrue();
        }
    }

    private LockStatus awaitStale() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            LockStatus status = mine.status(fleet.object(WEB01));
            if (status.stale()) {
                return status;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the lock of the killed holder did not turn stale within " + WAIT);
    }
}
