package org.igvm.transport.qemu;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.igvm.api.InvalidInputException;
import org.igvm.domain.spi.cancel.Cancellation;
import org.igvm.domain.spi.hypervisor.HypervisorPort;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.transport.MigrationMode;
import org.igvm.domain.spi.transport.StorageKind;
import org.igvm.domain.spi.transport.ThrowingRunnable;
import org.igvm.domain.spi.transport.TransportConfig;
import org.igvm.domain.spi.transport.TransportContext;
import org.igvm.domain.spi.transport.TransportProgress;
import org.igvm.domain.spi.transport.TransportVm;
import org.igvm.domain.spi.transport.TransportVolume;
import org.igvm.domain.spi.transport.UndoRegistry;

/** A migration's context over {@link FakeHypervisors}, recording progress, undo steps, cancellation. */
final class FakeContext implements TransportContext {
    static final String SOURCE = "hv1";
    static final String TARGET = "hv2";
    static final String DOMAIN = "42_web01";
    static final long GIB = 1024L * 1024 * 1024;

    final FakeHypervisors hv;
    final MapConfig config;
    final List<String> progress = new CopyOnWriteArrayList<>();
    final List<Duration> downtimes = new CopyOnWriteArrayList<>();
    final List<Map.Entry<String, ThrowingRunnable>> undo = new ArrayList<>();
    final FakeCancellation cancellation = new FakeCancellation();
    OptionalLong bandwidth = OptionalLong.empty();

    FakeContext(FakeHypervisors hv, Map<String, Object> config) {
        this.hv = hv;
        this.config = new MapConfig(config);
    }

    @Override
    public String sourceHypervisor() {
        return SOURCE;
    }

    @Override
    public String targetHypervisor() {
        return TARGET;
    }

    @Override
    public HostShell sourceShell() {
        throw new UnsupportedOperationException("qemu needs no shell");
    }

    @Override
    public HostShell targetShell() {
        throw new UnsupportedOperationException("qemu needs no shell");
    }

    @Override
    public HypervisorPort hypervisors() {
        return hv;
    }

    @Override
    public TransportVm vm() {
        return new TransportVm("web01", DOMAIN, 42, true, 1024, 2);
    }

    @Override
    public List<TransportVolume> volumes() {
        return List.of(new TransportVolume(
                DOMAIN, "pool", "/p/pool/" + DOMAIN, "/p/pool/" + DOMAIN, 10 * GIB, "raw", StorageKind.FILE));
    }

    @Override
    public MigrationMode mode() {
        return MigrationMode.ONLINE;
    }

    @Override
    public TransportConfig config() {
        return config;
    }

    @Override
    public TransportProgress progress() {
        return new TransportProgress() {
            @Override
            public void step(String description) {
                progress.add("step " + description);
            }

            @Override
            public void bytes(long done, long total, long bytesPerSecond) {
                progress.add("bytes " + done + "/" + total + " @" + bytesPerSecond);
            }

            @Override
            public void memory(double percent, long bytesPerSecond) {
                progress.add("memory " + Math.round(percent) + "% @" + bytesPerSecond);
            }

            @Override
            public void downtime(Duration measured) {
                downtimes.add(measured);
            }
        };
    }

    @Override
    public Cancellation cancellation() {
        return cancellation;
    }

    @Override
    public UndoRegistry undo() {
        return (description, step) -> undo.add(Map.entry(description, step));
    }

    @Override
    public OptionalLong bandwidthLimit() {
        return bandwidth;
    }

    void rollBack() throws Exception {
        for (int i = undo.size() - 1; i >= 0; i--) {
            undo.get(i).getValue().run();
        }
    }

    static final class FakeCancellation implements Cancellation {
        private volatile boolean cancelled;
        private final List<Runnable> actions = new CopyOnWriteArrayList<>();

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public Registration onCancel(Runnable action) {
            actions.add(action);
            if (cancelled) {
                action.run();
            }
            return () -> actions.remove(action);
        }

        void cancel() {
            cancelled = true;
            actions.forEach(Runnable::run);
        }
    }

    /** A config section from a map: booleans, numbers and text as they are. */
    static final class MapConfig implements TransportConfig {
        private final Map<String, Object> values;
        private final Set<String> read = Collections.synchronizedSet(new HashSet<>());

        MapConfig(Map<String, Object> values) {
            this.values = values;
        }

        @Override
        public String transport() {
            return "qemu";
        }

        @Override
        public Set<String> keys() {
            return new TreeSet<>(values.keySet());
        }

        private Object get(String key) {
            read.add(key);
            return values.get(key);
        }

        @Override
        public String string(String key, String defaultValue) {
            Object v = get(key);
            return v == null ? defaultValue : v.toString();
        }

        @Override
        public int intValue(String key, int defaultValue) {
            Object v = get(key);
            return v == null ? defaultValue : ((Number) v).intValue();
        }

        @Override
        public long longValue(String key, long defaultValue) {
            Object v = get(key);
            return v == null ? defaultValue : ((Number) v).longValue();
        }

        @Override
        public boolean bool(String key, boolean defaultValue) {
            Object v = get(key);
            return v == null ? defaultValue : (Boolean) v;
        }

        @Override
        public Duration duration(String key, Duration defaultValue) {
            Object v = get(key);
            return v == null ? defaultValue : (Duration) v;
        }

        @Override
        public long size(String key, long defaultBytes) {
            return longValue(key, defaultBytes);
        }

        @Override
        public void rejectUnknown() {
            for (String key : keys()) {
                if (!read.contains(key)) {
                    throw new InvalidInputException("unknown key transports.qemu." + key);
                }
            }
        }
    }
}
