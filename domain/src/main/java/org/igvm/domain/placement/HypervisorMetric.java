package org.igvm.domain.placement;

import java.util.Arrays;
import java.util.function.Function;

/** A measured hypervisor attribute an {@link AttributeLimit} can rank by. */
public enum HypervisorMetric {
    CPU_UTIL_PCT("cpu_util_pct", PlacementCandidate::cpuUtilPct),
    IOPS_AVG("iops_avg", PlacementCandidate::iopsAvg);

    private final String attribute;
    private final Function<PlacementCandidate, Long> value;

    HypervisorMetric(String attribute, Function<PlacementCandidate, Long> value) {
        this.attribute = attribute;
        this.value = value;
    }

    public String attribute() {
        return attribute;
    }

    /** The hypervisor's value, null when not measured. */
    public Long of(PlacementCandidate hv) {
        return value.apply(hv);
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
