package org.igvm.domain.placement;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * How a site places VMs: the ordered preferences, the OS pairs that may migrate online, how many
 * candidates are hard-checked at once, and how long migration-log entries count.
 */
public record PlacementSettings(
        List<Preference> preferences,
        Set<OsPair> onlineMigrations,
        int hardCheckBatchSize,
        Duration migrationLogExpiry,
        int maxFailedHardChecks) {
    /** How many candidates may fail their hard checks before placement gives up. */
    public static final int DEFAULT_MAX_FAILED_HARD_CHECKS = 20;

    public static final Set<OsPair> DEFAULT_ONLINE_MIGRATIONS = Set.of(
            new OsPair("bullseye", "bullseye"),
            new OsPair("bullseye", "bookworm"),
            new OsPair("bookworm", "bookworm"),
            new OsPair("bookworm", "bullseye"),
            new OsPair("trixie", "trixie"));

    public PlacementSettings {
        preferences = List.copyOf(preferences);
        // Sorted, so messages that list the pairs read the same in every run.
        java.util.List<OsPair> sorted = new java.util.ArrayList<>(onlineMigrations);
        sorted.sort(java.util.Comparator.comparing(OsPair::toString));
        onlineMigrations = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(sorted));
        if (preferences.isEmpty()) {
            throw new IllegalArgumentException("placement needs at least one preference");
        }
        if (hardCheckBatchSize < 1) {
            throw new IllegalArgumentException("the hard-check batch size must be at least 1");
        }
        if (maxFailedHardChecks < 1) {
            throw new IllegalArgumentException("max_failed_hard_checks must be at least 1");
        }
    }

    public PlacementSettings(
            List<Preference> preferences,
            Set<OsPair> onlineMigrations,
            int hardCheckBatchSize,
            Duration migrationLogExpiry) {
        this(preferences, onlineMigrations, hardCheckBatchSize, migrationLogExpiry, DEFAULT_MAX_FAILED_HARD_CHECKS);
    }

    public static PlacementSettings defaults() {
        return new PlacementSettings(DefaultPreferences.list(), DEFAULT_ONLINE_MIGRATIONS, 4, Duration.ofHours(24));
    }

    public boolean onlineMigrationAllowed(String sourceOs, String targetOs) {
        return onlineMigrations.contains(new OsPair(sourceOs, targetOs));
    }
}
