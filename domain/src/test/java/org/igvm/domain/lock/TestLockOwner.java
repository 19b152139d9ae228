package org.igvm.domain.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TestLockOwner {
    @Test
    void ownerTextRoundTrips() {
        LockOwner owner = new LockOwner("alice", "ops1.example.net", 4711);
        assertThat(owner.text()).isEqualTo("alice@ops1.example.net pid 4711");
        assertThat(LockOwner.parse(owner.text())).isEqualTo(owner);
        assertThat(LockOwner.parse("garbage")).isNull();
    }

    @Test
    void timestampsAreUtcInTheInventoryForm() {
        Instant t = Instant.parse("2026-11-26T03:20:00Z");
        assertThat(LockTimestamps.format(t)).isEqualTo("2026-11-26 03:20:00+0000");
        assertThat(LockTimestamps.parse("2026-11-26 03:20:00+0000")).isEqualTo(t);
        assertThat(LockTimestamps.parse("yesterday")).isNull();
    }
}
