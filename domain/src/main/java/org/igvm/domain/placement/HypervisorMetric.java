package org.igvm.domain.placement;

import java.util.Arrays;
import java.util.function.ToLongFunction;

/** A measured hypervisor attribute an {@link AttributeLimit} can rank by. */
public enum HypervisorMetric {
    CPU_UTIL_PCT("cpu_util_pct", PlacementCandidate::cpuUtilPct),
    IOPS_AVG("iops_avg", PlacementCandidate::iopsAvg);

    private final String attribute;
    private final ToLongFunction<PlacementCandidate> value;

    HypervisorMetric(String attribute, ToLongFunction<PlacementCandidate> value) {
        this.attribute = attribute;
        this.value = value;
    }

    public String attribute() {
        return attribute;
    }

    /** The hypervisor's value, {@link PlacementCandidate#UNKNOWN} when not measured. */
    public long of(PlacementCandidate hv) {
        return value.applyAsLong(hv);
    }

    public static HypervisorMetric byAttribute(String attribute) {
        return Arrays.stream(values())
                .filter(m -> m.attribute.equals(attribute))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no hypervisor metric " + attribute + "; known: "
                        + Arrays.stream(values())
                                .map(HypervisorMetric::attribute)
                                .toList()));
    }
}
