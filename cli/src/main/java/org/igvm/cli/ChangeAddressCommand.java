package org.igvm.cli;

import org.igvm.api.ChangeAddressRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "change-address",
        description = "Give a VM a new IP address in a route network its hypervisor serves (shuts it down).",
        mixinStandardHelpOptions = true)
final class ChangeAddressCommand extends VmCommand {
    @Parameters(index = "1", paramLabel = "IP", description = "The new IPv4 or IPv6 address.")
    String ip;

    @Option(names = "--offline", description = "Required: the VM is shut down while its address changes.")
    boolean offline;

    @Option(
            names = "--migrate",
            description = "If its hypervisor does not serve the new network, migrate the VM offline to one"
                    + " that does, in the same transaction.")
    boolean migrate;

    @Option(
            names = "--disk-transport",
            paramLabel = "NAME",
            description = "The disk transport of the --migrate move (default: migrate's offline default).")
    String diskTransport;

    @Option(
            names = "--hypervisor-query",
            paramLabel = "HV_QUERY",
            description = "Where the --migrate move may go, as migrate's HV_QUERY (a plain hostname pins it).")
    String hypervisorQuery;

    @Option(
            names = "--network",
            paramLabel = "ROUTE_NETWORK",
            description = "The route network of the new address (found by the address when not given).")
    String network;

    ChangeAddressCommand(LazyRuntime runtime) {
        super(runtime);
    }

    @Override
    void execute() {
        ChangeReport.print(
                igvm().changeAddress(ChangeAddressRequest.builder(vm, ip)
                        .network(network)
                        .offline(offline)
                        .migrate(migrate)
                        .diskTransport(diskTransport)
                        .hypervisorQuery(hypervisorQuery)
                        .build()),
                "",
                out(),
                spec.commandLine().getErr());
    }
}
