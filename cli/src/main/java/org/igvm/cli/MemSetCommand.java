package org.igvm.cli;

import org.igvm.api.MemSetRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "mem-set",
        description = "Change a VM's memory: more live (memory hot-plug), less with --offline.",
        mixinStandardHelpOptions = true)
final class MemSetCommand extends VmCommand {
    @Parameters(
            index = "1",
            paramLabel = "SIZE",
            description = "The new memory (MiB unless a unit K, M, G, T is given), or +SIZE / -SIZE.")
    String size;

    @Option(names = "--offline", description = "Shut the VM down, redefine it and start it again.")
    boolean offline;

    MemSetCommand(LazyRuntime runtime) {
        super(runtime);
    }

    @Override
    void execute() {
        ChangeReport.print(
                igvm().memSet(MemSetRequest.builder(vm, size).offline(offline).build()),
                " MiB",
                out(),
                spec.commandLine().getErr());
    }
}
