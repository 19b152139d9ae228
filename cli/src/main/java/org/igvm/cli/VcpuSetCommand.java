package org.igvm.cli;

import org.igvm.api.VcpuSetRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "vcpu-set",
        description = "Change a VM's vCPUs: more live (hot-add), fewer with --offline.",
        mixinStandardHelpOptions = true)
final class VcpuSetCommand extends VmCommand {
    @Parameters(index = "1", paramLabel = "COUNT", description = "The new number of vCPUs, or +N / -N.")
    String count;

    @Option(names = "--offline", description = "Shut the VM down, redefine it and start it again.")
    boolean offline;

    VcpuSetCommand(LazyRuntime runtime) {
        super(runtime);
    }

    @Override
    void execute() {
        ChangeReport.print(
                igvm().vcpuSet(VcpuSetRequest.builder(vm, count)
                        .offline(offline)
                        .build()),
                "",
                out(),
                spec.commandLine().getErr());
    }
}
