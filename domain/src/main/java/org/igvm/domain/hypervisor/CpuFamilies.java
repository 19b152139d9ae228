package org.igvm.domain.hypervisor;

import java.util.LinkedHashMap;
import java.util.Map;

/** The default CPU model family of each hardware model (spec §5). */
public final class CpuFamilies {
    public static final Map<String, String> DEFAULTS = build();

    private CpuFamilies() {}

    private static Map<String, String> build() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String model : new String[] {"Dell_R510", "Dell_M610", "Dell_M710"}) {
            m.put(model, "Nehalem");
        }
        for (String model : new String[] {"Dell_R320", "Dell_M620", "Dell_R620"}) {
            m.put(model, "SandyBridge");
        }
        for (String model : new String[] {"Dell_R430", "Dell_M630", "Dell_M640", "Dell_R640"}) {
            m.put(model, "Haswell-noTSX");
        }
        for (String model : new String[] {"Dell_R6515", "Dell_R7515", "Supermicro_H13S"}) {
            m.put(model, "EPYC");
        }
        return Map.copyOf(m);
    }
}
