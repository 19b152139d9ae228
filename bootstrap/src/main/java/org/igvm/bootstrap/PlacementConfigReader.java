package org.igvm.bootstrap;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.igvm.domain.placement.AttributeLimit;
import org.igvm.domain.placement.CpuUsageLimit;
import org.igvm.domain.placement.DefaultPreferences;
import org.igvm.domain.placement.HypervisorMetric;
import org.igvm.domain.placement.InsufficientResource;
import org.igvm.domain.placement.OsPair;
import org.igvm.domain.placement.OtherVms;
import org.igvm.domain.placement.OverAllocation;
import org.igvm.domain.placement.PlacementResource;
import org.igvm.domain.placement.PlacementSettings;
import org.igvm.domain.placement.Preference;
import org.igvm.domain.placement.SameEnvironment;

/**
 * Reads the {@code placement:} part of the configuration:
 *
 * <pre>
 * placement:
 *   cpu_usage_thresholds: {Dell_R640: 80}      # merged over spec §6's
 *   disk_reserve_gib: 32                       # enough_disk's reserve unless an entry sets reserve_gib
 *   memory_reserve_mib: 2048                   # enough_memory's reserve unless an entry sets reserve_mib
 *   online_migrations: [bookworm->trixie]      # replaces the default pairs
 *   hard_check_batch_size: 4
 *   max_failed_hard_checks: 20                 # candidates that may fail their hard checks before giving up
 *   migration_log_expiry_hours: 24
 *   preferences:                               # replaces the default list: reorder, drop, parameterise
 *     - {kind: enough_disk, reserve_gib: 32}
 *     - {kind: enough_memory, reserve_mib: 2048}
 *     - {kind: same_environment}
 *     - {kind: cpu_usage}
 *     - {kind: other_vms, name: db_masters, attributes: [function, game_world], values: [db, 0]}
 *     - {kind: over_allocation}
 *     - {kind: attribute_limit, attribute: cpu_util_pct, limit: 100}
 * </pre>
 *
 * Every entry may carry a {@code name} (default: its kind). Unknown keys are errors.
 */
final class PlacementConfigReader {
    private PlacementConfigReader() {}

    static PlacementSettings read(ConfigSection placement) {
        PlacementSettings defaults = PlacementSettings.defaults();
        Map<String, Double> thresholds = new LinkedHashMap<>(DefaultPreferences.CPU_USAGE_THRESHOLDS);
        ConfigSection custom = placement.section("cpu_usage_thresholds");
        for (String model : custom.keys()) {
            thresholds.put(model, (double) custom.number(model, 0));
        }
        custom.rejectUnknown();
        Set<OsPair> pairs = defaults.onlineMigrations();
        List<Object> pairTexts = placement.items("online_migrations");
        if (pairTexts != null) {
            pairs = new LinkedHashSet<>();
            for (Object text : pairTexts) {
                try {
                    pairs.add(OsPair.parse(String.valueOf(text)));
                } catch (IllegalArgumentException e) {
                    throw placement.invalid("online_migrations", e.getMessage());
                }
            }
        }
        long diskReserve = placement.number("disk_reserve_gib", DefaultPreferences.DISK_RESERVE_GIB);
        long memoryReserve = placement.number("memory_reserve_mib", DefaultPreferences.MEMORY_RESERVE_MIB);
        int batch = (int) placement.positive("hard_check_batch_size", defaults.hardCheckBatchSize());
        long maxFailed = placement.number("max_failed_hard_checks", defaults.maxFailedHardChecks());
        if (maxFailed < 1 || maxFailed > Integer.MAX_VALUE) {
            throw placement.invalid("max_failed_hard_checks", "must be a whole number of at least 1, not " + maxFailed);
        }
        Duration expiry = Duration.ofHours(placement.positive(
                "migration_log_expiry_hours", defaults.migrationLogExpiry().toHours()));
        List<Object> entries = placement.items("preferences");
        List<Preference> preferences =
                entries == null ? DefaultPreferences.list(thresholds, diskReserve, memoryReserve) : new ArrayList<>();
        if (entries != null) {
            for (int i = 0; i < entries.size(); i++) {
                preferences.add(preference(placement, i, entries.get(i), thresholds, diskReserve, memoryReserve));
            }
        }
        placement.rejectUnknown();
        try {
            return new PlacementSettings(preferences, pairs, batch, expiry, (int) maxFailed);
        } catch (IllegalArgumentException e) {
            throw placement.invalid("preferences", e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Preference preference(
            ConfigSection placement,
            int index,
            Object entry,
            Map<String, Double> thresholds,
            long diskReserve,
            long memoryReserve) {
        if (!(entry instanceof Map)) {
            throw placement.invalid(
                    "preferences",
                    "entry " + (index + 1) + " must be a mapping with a kind, e.g." + " {kind: same_environment}");
        }
        ConfigSection s = placement.child("preferences[" + (index + 1) + "]", (Map<String, Object>) entry);
        String kind = s.string("kind", "");
        String name = s.string("name", kind);
        Preference p;
        try {
            p = switch (kind) {
                case "enough_disk" -> new InsufficientResource(
                        name, PlacementResource.DISK, 1, s.number("reserve_gib", diskReserve));
                case "enough_memory" -> new InsufficientResource(
                        name, PlacementResource.MEMORY, 1024, s.number("reserve_mib", memoryReserve));
                case "same_environment" -> new SameEnvironment(name);
                case "cpu_usage" -> new CpuUsageLimit(name, thresholds);
                case "other_vms" -> new OtherVms(name, texts(s.items("attributes")), texts(s.items("values")));
                case "over_allocation" -> new OverAllocation(name);
                case "attribute_limit" -> new AttributeLimit(
                        name, HypervisorMetric.byAttribute(s.string("attribute", "")), s.number("limit", 100));
                default -> throw new IllegalArgumentException("unknown kind '" + kind + "'; known: enough_disk,"
                        + " enough_memory, same_environment, cpu_usage, other_vms, over_allocation,"
                        + " attribute_limit");
            };
        } catch (IllegalArgumentException e) {
            throw placement.invalid("preferences", "entry " + (index + 1) + ": " + e.getMessage());
        }
        s.rejectUnknown();
        return p;
    }

    private static List<String> texts(List<Object> values) {
        if (values == null) {
            return List.of();
        }
        return values.stream().map(String::valueOf).toList();
    }
}
