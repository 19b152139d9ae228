package org.igvm.adapters.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.ObjectChange;

/**
 * A child JVM that commits big commits in a loop until killed: commit n creates {@link #BATCH} VMs
 * {@code crash-n-i} with every attribute filled and moves the marker object's {@code function} to
 * {@code n}. Prints {@code COMMITTED n} after each.
 */
public final class CrashingCommitterProcess {
    static final int BATCH = 25;
    static final int SSHFP_RECORDS = 40;
    static final String MARKER = "crash-marker.example.net";

    public static void main(String[] args) {
        String url = args[0];
        long markerId = Long.parseLong(args[1]);
        try (JdbcInventory inventory = new JdbcInventory(InventoryConfig.of(url))) {
            for (int n = 1; ; n++) {
                List<Map<String, Object>> created = new ArrayList<>();
                for (int i = 0; i < BATCH; i++) {
                    created.add(vm(n, i));
                }
                ObjectChange marker = ObjectChange.set(
                        markerId, "function", n == 1 ? null : String.valueOf(n - 1), String.valueOf(n));
                inventory.commit(new Commit(created, List.of(marker), List.of()));
                System.out.println("COMMITTED " + n);
            }
        }
    }

    static Map<String, Object> vm(int batch, int index) {
        Map<String, Object> vm = new LinkedHashMap<>();
        vm.put("servertype", "vm");
        vm.put("hostname", "crash-" + batch + "-" + index + ".example.net");
        vm.put("state", "online");
        vm.put("os", "bookworm");
        vm.put("num_cpu", (long) batch);
        vm.put("memory", 2048L);
        vm.put("disk_size_gib", 10L);
        vm.put("intern_ip", "10.99." + (batch % 250) + "." + index);
        vm.put("project", "crash");
        vm.put("function", "batch-" + batch);
        List<Object> sshfp = new ArrayList<>();
        for (int r = 0; r < SSHFP_RECORDS; r++) {
            sshfp.add("1 " + (r % 2 + 1) + " " + "ab".repeat(20) + batch + "x" + index + "x" + r);
        }
        vm.put("sshfp", sshfp);
        return vm;
    }
}
