package org.igvm.transport.drbd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The parser against what DRBD 8.4.11 with drbd-utils 9.22 printed in the lab (resources events2/). */
class TestDrbdState {

    @Test
    void anUnknownResourceIsNotThere() {
        DrbdState s = DrbdState.parse(real("unknown-resource.txt"));

        assertThat(s.exists()).isFalse();
        assertThat(s.linked()).isFalse();
        assertThat(s.inSync()).isFalse();
    }

    @Test
    void upButNotConnectedIsStandAlone() {
        DrbdState s = DrbdState.parse(real("standalone.txt"));

        assertThat(s.exists()).isTrue();
        assertThat(s.connection()).isEqualTo("StandAlone");
        assertThat(s.linked()).isFalse();
        assertThat(s.role()).isEqualTo("Secondary");
        assertThat(s.disk()).isEqualTo("Inconsistent");
        assertThat(s.outOfSyncKiB()).hasValue(261888);
    }

    @Test
    void connectedBeforeThePrimaryIsChosen() {
        DrbdState s = DrbdState.parse(real("connected-inconsistent.txt"));

        assertThat(s.linked()).isTrue();
        assertThat(s.replication()).isEqualTo("Established");
        assertThat(s.peerDisk()).isEqualTo("Inconsistent");
        assertThat(s.inSync()).isFalse();
    }

    @Test
    void syncingOnTheSourceCountsDownOutOfSync() {
        DrbdState s = DrbdState.parse(real("syncsource.txt"));

        assertThat(s.role()).isEqualTo("Primary");
        assertThat(s.replication()).isEqualTo("SyncSource");
        assertThat(s.disk()).isEqualTo("UpToDate");
        assertThat(s.peerDisk()).isEqualTo("Inconsistent");
        assertThat(s.outOfSyncKiB()).hasValue(155648);
        // 8.4 prints no done: while syncing; progress comes from out-of-sync against the size
        assertThat(s.donePercent()).isEmpty();
        assertThat(s.inSync()).isFalse();
    }

    @Test
    void nothingOutOfSyncIsNotInSyncUntilThePeerIsUpToDate() {
        DrbdState s = DrbdState.parse(real("syncsource-last-block.txt"));

        assertThat(s.outOfSyncKiB()).hasValue(0);
        assertThat(s.replication()).isEqualTo("SyncSource");
        assertThat(s.inSync()).as("the peer still says Inconsistent").isFalse();
    }

    @Test
    void inSyncWhenEstablishedAndBothUpToDate() {
        DrbdState s = DrbdState.parse(real("in-sync.txt"));

        assertThat(s.replication()).isEqualTo("Established");
        assertThat(s.inSync()).isTrue();
    }

    @Test
    void theTargetSeesSyncTarget() {
        DrbdState s = DrbdState.parse(real("synctarget.txt"));

        assertThat(s.role()).isEqualTo("Secondary");
        assertThat(s.replication()).isEqualTo("SyncTarget");
        assertThat(s.disk()).isEqualTo("Inconsistent");
        assertThat(s.peerDisk()).isEqualTo("UpToDate");
        assertThat(s.linked()).isTrue();
        assertThat(s.inSync()).isFalse();
    }

    private static String real(String name) {
        try (InputStream in = TestDrbdState.class.getResourceAsStream("events2/" + name)) {
            assertThat(in).as("test resource events2/%s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
