package org.igvm.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.placement.MigrationLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The migration log on the real SQLite inventory. */
class TestMigrationLog {
    static final Instant NOW = Instant.parse("2026-01-02T12:00:00Z");

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
    void aMigrationAddsPlusOnTargetMinusOnSourceAndDropsExpiredEntries() {
        fleet.set("hv02.example.net", MigrationLog.ATTRIBUTE, List.of((NOW.getEpochSecond() - 90_000) + " +40.00"));
        MigrationLog log = new MigrationLog(fleet.inventory(), Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(24));
        log.recordMigration(fleet.object("hv02.example.net"), 12.5, fleet.object("hv01.example.net"), 6.25);
        ServerObject target = fleet.object("hv02.example.net");
        ServerObject source = fleet.object("hv01.example.net");
        assertThat(target.strings(MigrationLog.ATTRIBUTE)).containsExactly(NOW.getEpochSecond() + " +12.50");
        assertThat(source.strings(MigrationLog.ATTRIBUTE)).containsExactly(NOW.getEpochSecond() + " -6.25");
        assertThat(MigrationLog.sumPct(target.strings(MigrationLog.ATTRIBUTE), NOW, Duration.ofHours(24)))
                .isEqualTo(12.5);
    }

    @Test
    void sumCountsOnlyUnexpiredWellFormedEntries() {
        long t = NOW.getEpochSecond();
        List<String> entries = List.of(t - 100 + " +10", t - 200 + " -4.5", (t - 86_401) + " +50", "garbage");
        assertThat(MigrationLog.sumPct(entries, NOW, Duration.ofHours(24))).isEqualTo(5.5);
    }

    @Test
    void aFailingInventoryNeverFailsTheMigration() {
        MigrationLog log = new MigrationLog(fleet.inventory(), Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(24));
        ServerObject ghost = new ServerObject(999_999, Map.of("hostname", "ghost.example.net"));
        log.recordMigration(ghost, 1.0, fleet.object("hv01.example.net"), 1.0);
        assertThat(fleet.object("hv01.example.net").strings(MigrationLog.ATTRIBUTE))
                .hasSize(1);
    }
}
