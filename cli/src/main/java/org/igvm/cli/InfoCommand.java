package org.igvm.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.igvm.api.VmInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "info",
        description = "Show a VM's runtime facts: hypervisor, status, address, CPUs, memory, disk, load.",
        mixinStandardHelpOptions = true)
final class InfoCommand extends VmCommand {
    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    InfoCommand(LazyRuntime runtime) {
        super(runtime);
    }

    @Override
    void execute() {
        VmInfo info = igvm().info(vm);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("hostname", info.hostname());
        fields.put("object_id", info.objectId());
        fields.put("hypervisor", info.hypervisor());
        fields.put("status", info.status().word());
        fields.put("intern_ip", info.internIp());
        fields.put("mac", info.macs());
        fields.put("num_cpu", info.numCpu());
        fields.put("memory_mib", info.memoryMiB());
        fields.put("memory_free_mib", info.memoryFreeMiB());
        fields.put("disk_gib", info.diskGiB());
        fields.put("disk_free_gib", info.diskFreeGiB());
        fields.put("load", info.load());
        if (json) {
            out().println(JsonOutput.write(fields));
            return;
        }
        fields.forEach((k, v) -> out().printf("%-16s %s%n", k, v == null ? "-" : v));
    }
}
