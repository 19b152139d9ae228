package org.igvm.transport.drbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.igvm.api.CancelledException;
import org.igvm.api.InvalidInputException;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.DomainState;
import org.igvm.domain.spi.hypervisor.HypervisorPort;
import org.igvm.domain.spi.hypervisor.LiveMigrationOptions;
import org.igvm.domain.spi.transport.MigrationMode;
import org.igvm.domain.spi.transport.StorageKind;
import org.igvm.domain.spi.transport.TransportConfig;
import org.igvm.domain.spi.transport.TransportSession;
import org.igvm.domain.spi.transport.TransportVm;
import org.igvm.domain.spi.transport.TransportVolume;
import org.igvm.domain.testing.RecordingTransportContext;
import org.junit.jupiter.api.Test;

/**
 * The drbd session's sequence against {@link ScriptedLvmHost}s: what it sets up, that it takes all
 * of it down again (after success, after a fault at any command, after a cancel), in an order the
 * real tools accept. The run on real DRBD is e2e {@code TestLabDrbdTransport}.
 */
class TestDrbdSession {
    static final long SIZE = 1L << 30;
    static final String VG = "xen-data";
    static final String VOLUME = "/dev/xen-data/42_web01.example.net";
    static final String SOURCE_TABLE = "0 2097152 linear 254:0 2048";
    static final String TARGET_TABLE = "0 2097152 linear 254:0 8192";
    static final String RES = "igvm_42_web01_example_net";

    final ScriptedLvmHost.Faults faults = new ScriptedLvmHost.Faults();
    final Map<String, String> addresses = Map.of("hv1.test", "192.0.2.1", "hv2.test", "192.0.2.2");
    final ScriptedLvmHost source = new ScriptedLvmHost("hv1.test", "hv1", addresses, faults);
    final ScriptedLvmHost target = new ScriptedLvmHost("hv2.test", "hv2", addresses, faults);
    /** How many events2 polls until a resource is in sync. */
    int pollsToSync = 3;

    TestDrbdSession() {
        source.addVolume(VG, "42_web01.example.net", SIZE, SOURCE_TABLE);
        target.addVolume(VG, "42_web01.example.net", SIZE, TARGET_TABLE);
        AtomicInteger polls = new AtomicInteger();
        source.events = res -> events(polls.incrementAndGet());
        target.events = res -> "exists device name:" + res + " volume:0 minor:10 disk:UpToDate\nexists -\n";
    }

    String events(int poll) {
        long left = Math.max(0, (SIZE / 1024) * (pollsToSync - poll) / pollsToSync);
        boolean done = left == 0;
        return "exists resource name:" + RES + " role:Primary suspended:no\n"
                + "exists connection name:" + RES + " connection:" + (done ? "Connected" : "SyncSource")
                + " role:Secondary\n"
                + "exists device name:" + RES + " volume:0 minor:10 disk:UpToDate\n"
                + "exists peer-device name:" + RES + " volume:0 replication:" + (done ? "Established" : "SyncSource")
                + " peer-disk:" + (done ? "UpToDate" : "Inconsistent") + " out-of-sync:" + left + "\n"
                + "exists -\n";
    }

    RecordingTransportContext context(MigrationMode mode, Map<String, Object> config) {
        TransportVolume v =
                new TransportVolume("42_web01.example.net", "xen-data", VOLUME, VOLUME, SIZE, "raw", StorageKind.LVM);
        return new RecordingTransportContext(source, target, List.of(v), new MapConfig(config))
                .hypervisors("hv1.test", "hv2.test")
                .mode(mode)
                .vm(new TransportVm("web01.example.net", "42_web01.example.net", 42, true, 1024, 2));
    }

    static Map<String, Object> fast() {
        return Map.of("poll_interval", "10ms", "connect_timeout", "1s", "stall_timeout", "1s");
    }

    static void runAll(TransportSession s) {
        s.prepare();
        s.transfer();
        s.switchOver();
        s.finish();
        s.close();
    }

    void assertClean() {
        assertThat(source.tables).containsEntry(VOLUME, SOURCE_TABLE);
        assertThat(target.tables).containsEntry(VOLUME, TARGET_TABLE);
        assertThat(source.leftovers(VOLUME)).isEmpty();
        assertThat(target.leftovers(VOLUME)).isEmpty();
        assertThat(source.blockSizes).containsEntry(VOLUME, 4096);
    }

    @Test
    void anOfflineMoveSetsUpTheResourceSwapsTheTableSyncsAndTakesEverythingDown() {
        RecordingTransportContext ctx = context(MigrationMode.OFFLINE, fast());
        TransportSession s = new DrbdTransportFactory().create(ctx);

        s.prepare();
        // the VM's I/O goes through DRBD now, over the copy of its table
        assertThat(source.tables.get(VOLUME)).isEqualTo("0 2097152 linear /dev/drbd10 0");
        assertThat(source.tables).containsEntry(RES + "_orig", SOURCE_TABLE);
        assertThat(target.tables).doesNotContainKey(RES + "_orig");
        assertThat(source.drbd).containsEntry(RES, "Primary");
        assertThat(target.drbd).containsEntry(RES, "Secondary");
        assertThat(source.lvs).containsKey("/dev/xen-data/" + RES + "_meta");
        assertThat(target.lvs).containsKey("/dev/xen-data/" + RES + "_meta");
        assertThat(source.files).containsEntry("/run/igvm-drbd/" + RES + ".source.table", SOURCE_TABLE + "\n");
        String file = source.files.get("/etc/drbd.d/" + RES + ".res");
        assertThat(target.files.get("/etc/drbd.d/" + RES + ".res")).isEqualTo(file);
        assertThat(file)
                .contains("resource " + RES + " {")
                .contains("    on hv1 {\n        device    /dev/drbd10;\n"
                        + "        disk      /dev/mapper/" + RES + "_orig;\n"
                        + "        meta-disk /dev/xen-data/" + RES + "_meta;\n"
                        + "        address   192.0.2.1:8010;\n")
                .contains("    on hv2 {\n        device    /dev/drbd10;\n        disk      " + VOLUME + ";\n")
                .contains("address   192.0.2.2:8010;")
                .contains("resync-rate 1048576K;")
                .doesNotContain("allow-two-primaries");

        s.transfer();
        assertThat(ctx.bytes).isNotEmpty();
        assertThat(ctx.bytes.get(ctx.bytes.size() - 1)).containsExactly(SIZE, SIZE);
        assertThat(ctx.bytes.stream().mapToLong(b -> b[0])).isSorted();

        s.switchOver();
        s.finish();
        // the stopped VM may start on the target now: its volume is free there; the source's side waits
        assertThat(target.drbd).doesNotContainKey(RES);
        assertThat(source.drbd).containsEntry(RES, "Primary");
        assertThat(source.tables.get(VOLUME)).isEqualTo("0 2097152 linear /dev/drbd10 0");
        assertThat(ctx.steps).last().asString().isEqualTo("taking the DRBD resource(s) [" + RES + "] down on hv2.test");
        s.close();
        assertClean();
        assertThat(ctx.steps).last().asString().isEqualTo("tearing down the DRBD resource(s) [" + RES + "]");
        // the order the real tools need: the table back before DRBD goes down, DRBD down before its disks go
        List<String> log = faults.log;
        assertThat(indexOf(log, "hv1.test: cur=$(dmsetup table")).isLessThan(indexOf(log, "hv1.test: if [ -e"));
        assertThat(indexOf(log, "hv1.test: if [ -e")).isLessThan(indexOf(log, "hv1.test: if dmsetup info"));
        assertThat(ctx.rollback()).isEmpty();
        assertClean();
    }

    @Test
    void theOperatorsBandwidthLimitBecomesTheResyncRate() {
        RecordingTransportContext ctx = context(MigrationMode.OFFLINE, fast()).bandwidthLimit(50L << 20);
        TransportSession s = new DrbdTransportFactory().create(ctx);
        s.prepare();
        assertThat(source.files.get("/etc/drbd.d/" + RES + ".res")).contains("resync-rate 51200K;");
        s.close();
        assertClean();
    }

    @Test
    void aFaultAtAnyCommandLeavesBothHostsAsTheyWereAfterAbortAndRollback() {
        List<Integer> faultedAt = new ArrayList<>();
        List<Integer> absorbed = new ArrayList<>();
        for (int k = 1; k < 200; k++) {
            TestDrbdSession fresh = new TestDrbdSession();
            fresh.faults.failAt = k;
            RecordingTransportContext ctx = fresh.context(MigrationMode.OFFLINE, fast());
            TransportSession s = new DrbdTransportFactory().create(ctx);
            Throwable thrown = catchThrowable(() -> runAll(s));
            if (thrown == null && fresh.faults.commands >= k) {
                // a fault in the teardown after an offline finish, which close tries once more
                assertThat(ctx.rollback())
                        .as("nothing to roll back after a fault at " + k)
                        .isEmpty();
                fresh.assertClean();
                absorbed.add(k);
                continue;
            }
            if (thrown == null) {
                assertThat(fresh.faults.commands)
                        .as("ran to its end without reaching command " + k)
                        .isLessThan(k);
                break;
            }
            faultedAt.add(k);
            fresh.faults.failAt = -1;
            Throwable aborted = catchThrowable(s::abort);
            List<Exception> rolledBack = ctx.rollback();
            // a fault in a teardown command is tried again by the rollback, which then succeeds
            assertThat(rolledBack)
                    .as("rollback after a fault at command " + k + ": " + fresh.faults.log)
                    .isEmpty();
            fresh.assertClean();
            assertThat(thrown).as("fault at " + k).isInstanceOfAny(OperationFailedException.class);
            if (aborted != null) {
                assertThat(aborted).hasMessageContaining("repair by hand");
            }
        }
        // every command of the sequence up to the offline finish (the target's DRBD down) fails the move
        assertThat(faultedAt).hasSizeGreaterThan(20);
        // those after it, in close (the source's side, the target's files and metadata), are retried
        assertThat(absorbed).hasSizeGreaterThanOrEqualTo(6);
        assertThat(faultedAt.size() + absorbed.size()).isGreaterThan(30);
    }

    @Test
    void aTeardownThatFailsTwiceAfterAnOfflineFinishNamesWhatIsLeft() {
        RecordingTransportContext ctx = context(MigrationMode.OFFLINE, fast());
        TransportSession s = new DrbdTransportFactory().create(ctx);
        s.prepare();
        s.transfer();
        s.switchOver();
        s.finish();
        faults.failing = "hv1.test: if dmsetup info";

        assertThat(catchThrowable(s::close))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageStartingWith("could not remove the device-mapper device " + RES + "_orig on hv1.test: ")
                .hasMessageEndingWith(": injected lasting fault; left to do: remove the device-mapper device " + RES
                        + "_orig on hv1.test, remove"
                        + " /run/igvm-drbd/" + RES + ".source.table on hv1.test, remove the DRBD metadata volume"
                        + " xen-data/" + RES + "_meta on hv1.test, remove the DRBD metadata volume xen-data/" + RES
                        + "_meta on hv2.test");
        // what came before it in the teardown is done: the table is back, DRBD is down on both
        assertThat(source.tables).containsEntry(VOLUME, SOURCE_TABLE);
        assertThat(source.drbd).doesNotContainKey(RES);
        assertThat(target.drbd).doesNotContainKey(RES);
    }

    @Test
    void aCancelDuringTheSyncTearsEverythingDown() {
        RecordingTransportContext ctx = context(MigrationMode.OFFLINE, fast());
        pollsToSync = 1000;
        AtomicInteger polls = new AtomicInteger();
        source.events = res -> {
            if (polls.incrementAndGet() == 3) {
                ctx.cancel();
            }
            return events(polls.get());
        };
        TransportSession s = new DrbdTransportFactory().create(ctx);
        s.prepare();
        assertThat(catchThrowable(s::transfer)).isInstanceOf(CancelledException.class);
        s.abort();
        s.close();
        assertClean();
        assertThat(ctx.rollback()).isEmpty();
    }

    @Test
    void aLostConnectionFailsTheSyncAfterTheConnectTimeoutAndTearsDown() {
        RecordingTransportContext ctx = context(MigrationMode.OFFLINE, fast());
        source.events = res -> "exists resource name:" + res + " role:Primary\n"
                + "exists connection name:" + res + " connection:Connecting role:Unknown\n"
                + "exists device name:" + res + " volume:0 minor:10 disk:UpToDate\n"
                + "exists peer-device name:" + res + " volume:0 replication:Off peer-disk:DUnknown out-of-sync:1000\n";
        TransportSession s = new DrbdTransportFactory().create(ctx);
        s.prepare();
        assertThat(catchThrowable(s::transfer))
                .isInstanceOf(OperationFailedException.class)
                .hasMessage("the DRBD resource " + RES + " between hv1.test:8010 and hv2.test:8010 has not been"
                        + " connected for 1 s: role:Primary connection:Connecting replication:Off disk:UpToDate"
                        + " peer-disk:DUnknown out-of-sync:1000KiB");
        s.close();
        assertClean();
    }

    @Test
    void aFileVolumeIsRefusedBeforeAnythingChanges() {
        TransportVolume file = new TransportVolume(
                "42_web01",
                "images",
                "/var/lib/images/42_web01",
                "/var/lib/images/42_web01",
                SIZE,
                "raw",
                StorageKind.FILE);
        RecordingTransportContext ctx = new RecordingTransportContext(
                        source, target, List.of(file), new MapConfig(Map.of()))
                .hypervisors("hv1.test", "hv2.test");
        TransportSession s = new DrbdTransportFactory().create(ctx);
        assertThat(catchThrowable(s::prepare))
                .isInstanceOf(OperationFailedException.class)
                .hasMessage("drbd moves LVM volumes only, and images/42_web01 is a file; use --disk-transport netcat"
                        + " (offline) or qemu (online)");
        assertThat(faults.commands).isZero();
    }

    @Test
    void aResourceLeftByAnEarlierRunIsRefusedWithTheCleanUpCommand() {
        target.files.put("/etc/drbd.d/" + RES + ".res", "resource " + RES + " {}");
        TransportSession s = new DrbdTransportFactory().create(context(MigrationMode.OFFLINE, fast()));
        assertThat(catchThrowable(s::prepare))
                .isInstanceOf(OperationFailedException.class)
                .hasMessage("cannot replicate " + VOLUME + " with DRBD on hv2.test: the resource file /etc/drbd.d/"
                        + RES + ".res exists; if an earlier igvm left them, clean up there with: drbdadm down " + RES
                        + "; dmsetup remove " + RES + "_orig; lvremove -fy xen-data/" + RES
                        + "_meta; rm -f /etc/drbd.d/"
                        + RES + ".res");
        assertThat(source.leftovers(VOLUME)).isEmpty();
        assertThat(source.tables).containsEntry(VOLUME, SOURCE_TABLE);
    }

    @Test
    void badSettingsAreOneLineNamingTheKey() {
        for (var bad : List.of(
                Map.<String, Object>of("port_base", 70000),
                Map.<String, Object>of("resync_rate", "8G"),
                Map.<String, Object>of("max_buffers", "lots"),
                Map.<String, Object>of("stall_timeout", "0s"),
                Map.<String, Object>of("resource_dir", "etc/drbd.d"),
                Map.<String, Object>of("no_such_key", 1))) {
            assertThat(catchThrowable(() -> new DrbdTransportFactory().create(context(MigrationMode.OFFLINE, bad))))
                    .as(bad.toString())
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("transports.drbd.")
                    .hasMessageNotContaining("\n");
        }
        assertThat(faults.commands).isZero();
    }

    @Test
    void anOnlineMoveSwapsTheTargetOntoDrbdTooAndMigratesOnlyTheMemory() {
        List<String> calls = new ArrayList<>();
        HypervisorPort hv = (HypervisorPort) Proxy.newProxyInstance(
                HypervisorPort.class.getClassLoader(), new Class<?>[] {HypervisorPort.class}, (p, m, a) -> {
                    switch (m.getName()) {
                        case "migrateLive" -> {
                            LiveMigrationOptions o = (LiveMigrationOptions) a[3];
                            calls.add("migrateLive " + a[0] + " -> " + a[2] + " nonSharedDisk=" + o.nonSharedDisk()
                                    + " target table " + target.tables.get(VOLUME) + " roles " + source.drbd + "/"
                                    + target.drbd);
                            return null;
                        }
                        case "findDomain" -> {
                            return Optional.of(
                                    new DomainInfo("42_web01.example.net", "u", DomainState.RUNNING, 2, 2, 1024, 1024));
                        }
                        case "completedMigrationJob" -> {
                            return Optional.empty();
                        }
                        default -> throw new UnsupportedOperationException(m.getName());
                    }
                });
        RecordingTransportContext ctx = context(MigrationMode.ONLINE, fast()).hypervisorPort(hv);
        TransportSession s = new DrbdTransportFactory().create(ctx);
        s.prepare();
        assertThat(source.files.get("/etc/drbd.d/" + RES + ".res"))
                .contains("allow-two-primaries yes;")
                .contains("    on hv2 {\n        device    /dev/drbd10;\n        disk      /dev/mapper/" + RES
                        + "_orig;");
        assertThat(target.tables).containsEntry(RES + "_orig", TARGET_TABLE);
        s.transfer();
        s.switchOver();
        assertThat(calls)
                .containsExactly("migrateLive hv1.test -> hv2.test nonSharedDisk=false target table"
                        + " 0 2097152 linear /dev/drbd10 0 roles {" + RES + "=Primary}/{" + RES + "=Primary}");
        s.finish();
        s.close();
        assertClean();
    }

    private static int indexOf(List<String> log, String prefix) {
        for (int i = log.size() - 1; i >= 0; i--) {
            if (log.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code transports.drbd:} from a map. */
    record MapConfig(Map<String, Object> values) implements TransportConfig {
        @Override
        public String transport() {
            return "drbd";
        }

        @Override
        public java.util.Set<String> keys() {
            return new java.util.TreeSet<>(values.keySet());
        }

        @Override
        public String string(String key, String defaultValue) {
            return values.containsKey(key) ? String.valueOf(values.get(key)) : defaultValue;
        }

        @Override
        public int intValue(String key, int defaultValue) {
            return values.containsKey(key) ? Integer.parseInt(String.valueOf(values.get(key))) : defaultValue;
        }

        @Override
        public long longValue(String key, long defaultValue) {
            return values.containsKey(key) ? Long.parseLong(String.valueOf(values.get(key))) : defaultValue;
        }

        @Override
        public boolean bool(String key, boolean defaultValue) {
            return values.containsKey(key) ? Boolean.parseBoolean(String.valueOf(values.get(key))) : defaultValue;
        }

        @Override
        public java.time.Duration duration(String key, java.time.Duration defaultValue) {
            if (!values.containsKey(key)) {
                return defaultValue;
            }
            String v = String.valueOf(values.get(key));
            return v.endsWith("ms")
                    ? java.time.Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)))
                    : java.time.Duration.ofSeconds(Long.parseLong(v.replace("s", "")));
        }

        @Override
        public long size(String key, long defaultBytes) {
            if (!values.containsKey(key)) {
                return defaultBytes;
            }
            String v = String.valueOf(values.get(key));
            long unit = v.endsWith("G") ? 1L << 30 : v.endsWith("M") ? 1L << 20 : v.endsWith("K") ? 1024 : 1;
            return Long.parseLong(v.replaceAll("[GMK]$", "")) * unit;
        }

        @Override
        public void rejectUnknown() {
            for (String k : values.keySet()) {
                if (!java.util.Set.of(
                                "port_base",
                                "resync_rate",
                                "max_buffers",
                                "connect_timeout",
                                "stall_timeout",
                                "poll_interval",
                                "resource_dir",
                                "state_dir")
                        .contains(k)) {
                    throw new InvalidInputException("transports.drbd." + k + " is not a setting of drbd");
                }
            }
        }
    }
}
