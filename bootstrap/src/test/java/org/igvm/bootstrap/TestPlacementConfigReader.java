package org.igvm.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.igvm.api.InvalidInputException;
import org.igvm.domain.placement.AttributeLimit;
import org.igvm.domain.placement.CpuUsageLimit;
import org.igvm.domain.placement.DefaultPreferences;
import org.igvm.domain.placement.HypervisorMetric;
import org.igvm.domain.placement.InsufficientResource;
import org.igvm.domain.placement.OsPair;
import org.igvm.domain.placement.OtherVms;
import org.igvm.domain.placement.PlacementResource;
import org.igvm.domain.placement.PlacementSettings;
import org.igvm.domain.placement.Preference;
import org.junit.jupiter.api.Test;

class TestPlacementConfigReader {
    static PlacementSettings read(Map<String, Object> placement) {
        return IgvmConfig.parse(Map.of("placement", placement), "test config").placement();
    }

    @Test
    void defaultsAreTheSpecsPreferenceListAndOsPairs() {
        PlacementSettings settings = IgvmConfig.defaults().placement();
        assertThat(settings.preferences()).isEqualTo(DefaultPreferences.list());
        assertThat(settings.onlineMigrations()).hasSize(5).contains(new OsPair("bookworm", "bullseye"));
        assertThat(settings.hardCheckBatchSize()).isEqualTo(4);
        assertThat(settings.migrationLogExpiry()).isEqualTo(Duration.ofHours(24));
        assertThat(settings.maxFailedHardChecks()).isEqualTo(20);
        // Sorted, so the "allowed" list in messages is the same in every run.
        assertThat(settings.onlineMigrations().stream().map(OsPair::toString).toList())
                .isSorted()
                .isEqualTo(IgvmConfig.defaults().placement().onlineMigrations().stream()
                        .map(OsPair::toString)
                        .toList());
    }

    @Test
    void maxFailedHardChecksIsConfigurableAndPositive() {
        assertThat(read(Map.of("max_failed_hard_checks", 3)).maxFailedHardChecks())
                .isEqualTo(3);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> read(Map.of("max_failed_hard_checks", 0)))
                .isInstanceOf(org.igvm.api.InvalidInputException.class)
                .hasMessageContaining("max_failed_hard_checks");
    }

    @Test
    void aSiteReordersDropsAndParameterisesPreferences() {
        PlacementSettings settings = read(Map.of(
                "cpu_usage_thresholds", Map.of("Dell_R640", 80, "Acme_9", 40),
                "online_migrations", List.of("bookworm->trixie"),
                "hard_check_batch_size", 2,
                "migration_log_expiry_hours", 12,
                "preferences",
                        List.of(
                                Map.of("kind", "enough_memory", "reserve_mib", 4096),
                                Map.of("kind", "cpu_usage"),
                                Map.of(
                                        "kind",
                                        "other_vms",
                                        "name",
                                        "db_masters",
                                        "attributes",
                                        List.of("function", "game_world"),
                                        "values",
                                        List.of("db", 0)),
                                Map.of("kind", "attribute_limit", "attribute", "iops_avg", "limit", 50))));
        List<Preference> p = settings.preferences();
        assertThat(p).hasSize(4);
        assertThat(p.get(0)).isEqualTo(new InsufficientResource("enough_memory", PlacementResource.MEMORY, 1024, 4096));
        assertThat(((CpuUsageLimit) p.get(1)).thresholds())
                .containsEntry("Dell_R640", 80.0)
                .containsEntry("Acme_9", 40.0)
                .containsEntry("Dell_R430", 25.0);
        assertThat(p.get(2))
                .isEqualTo(new OtherVms("db_masters", List.of("function", "game_world"), List.of("db", "0")));
        assertThat(p.get(3)).isEqualTo(new AttributeLimit("attribute_limit", HypervisorMetric.IOPS_AVG, 50));
        assertThat(settings.onlineMigrations()).containsExactly(new OsPair("bookworm", "trixie"));
        assertThat(settings.hardCheckBatchSize()).isEqualTo(2);
        assertThat(settings.migrationLogExpiry()).isEqualTo(Duration.ofHours(12));
    }

    @Test
    void reservesApplyToTheDefaultList() {
        List<Preference> p =
                read(Map.of("disk_reserve_gib", 0, "memory_reserve_mib", 512)).preferences();
        assertThat(p).hasSize(12);
        assertThat(p.get(0)).isEqualTo(new InsufficientResource("enough_disk", PlacementResource.DISK, 1, 0));
        assertThat(p.get(1)).isEqualTo(new InsufficientResource("enough_memory", PlacementResource.MEMORY, 1024, 512));
    }

    @Test
    void mistakesAreOneLineNamingTheSetting() {
        assertThatThrownBy(() -> read(Map.of("preferences", List.of(Map.of("kind", "cheapest")))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("placement.preferences")
                .hasMessageContaining("unknown kind 'cheapest'");
        assertThatThrownBy(() -> read(Map.of("preferences", List.of(Map.of("kind", "cpu_usage", "treshold", 5)))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unknown setting 'placement.preferences[1].treshold'");
        assertThatThrownBy(() -> read(Map.of("online_migrations", List.of("bookworm"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("SOURCE->TARGET");
        assertThatThrownBy(() -> read(Map.of("batch", 3)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unknown setting 'placement.batch'");
    }
}
