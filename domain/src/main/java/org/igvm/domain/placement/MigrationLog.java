package org.igvm.domain.placement;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.igvm.api.ConflictException;
import org.igvm.domain.inventory.AttributeUpdate;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.InventoryPort;
import org.igvm.domain.inventory.ObjectChange;
import org.igvm.domain.inventory.ServerObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hypervisor's {@code igvm_migration_log}: entries {@code "<unix_ts> <+|-><cpu_pct>"} for the CPU
 * share VMs brought or took away recently, which {@code cpu_util_pct} does not show yet. Entries
 * older than the expiry no longer count and are removed on the next write. Writing never fails a
 * migration: a commit conflict is retried, anything else is logged.
 */
public final class MigrationLog {
    public static final String ATTRIBUTE = "igvm_migration_log";
    private static final Logger log = LoggerFactory.getLogger(MigrationLog.class);
    private static final int ATTEMPTS = 3;

    private final InventoryPort inventory;
    private final Clock clock;
    private final Duration expiry;

    public MigrationLog(InventoryPort inventory, Clock clock, Duration expiry) {
        this.inventory = inventory;
        this.clock = clock;
        this.expiry = expiry;
    }

    /** Σ of the signed percentages of the unexpired, well-formed entries. */
    public static double sumPct(List<String> entries, Instant now, Duration expiry) {
        double sum = 0;
        long oldest = now.minus(expiry).getEpochSecond();
        for (String entry : entries) {
            Entry e = Entry.parse(entry);
            if (e != null && e.timestamp >= oldest) {
                sum += e.pct;
            }
        }
        return sum;
    }

    /** The entry text for a share at a time: {@code "1700000000 +12.5"}. */
    public static String entry(Instant at, double pct) {
        return at.getEpochSecond() + " " + (pct >= 0 ? "+" : "-") + String.format(Locale.ROOT, "%.2f", Math.abs(pct));
    }

    /**
     * Records a migration: {@code +targetPct} on the target, {@code -sourcePct} on the source, and
     * drops their expired entries. Never throws.
     */
    public void recordMigration(ServerObject target, double targetPct, ServerObject source, double sourcePct) {
        add(target, targetPct);
        add(source, -sourcePct);
    }

    private void add(ServerObject hypervisor, double pct) {
        Instant now = clock.instant();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                ServerObject fresh = inventory.get(hypervisor.objectId()).orElse(hypervisor);
                List<Object> expired = new ArrayList<>();
                long oldest = now.minus(expiry).getEpochSecond();
                for (String e : fresh.strings(ATTRIBUTE)) {
                    Entry parsed = Entry.parse(e);
                    if (parsed == null || parsed.timestamp < oldest) {
                        expired.add(e);
                    }
                }
                ObjectChange change = new ObjectChange(
                        fresh.objectId(),
                        java.util.Map.of(ATTRIBUTE, new AttributeUpdate.Multi(List.of(entry(now, pct)), expired)));
                inventory.commit(Commit.of(change));
                return;
            } catch (ConflictException conflict) {
                log.debug(
                        "migration log of {} changed meanwhile (attempt {}): {}",
                        hypervisor.hostname(),
                        attempt,
                        conflict.getMessage());
            } catch (RuntimeException e) {
                log.warn("could not write the migration log of {}: {}", hypervisor.hostname(), e.getMessage());
                return;
            }
        }
        log.warn("gave up writing the migration log of {} after {} conflicts", hypervisor.hostname(), ATTEMPTS);
    }

    private record Entry(long timestamp, double pct) {
        static Entry parse(String text) {
            String[] parts = text.trim().split("\\s+");
            if (parts.length != 2) {
                return null;
            }
            try {
                return new Entry(Long.parseLong(parts[0]), Double.parseDouble(parts[1]));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
