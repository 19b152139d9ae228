package org.igvm.cli;

import java.util.concurrent.Callable;
import org.igvm.api.CleanCertRequest;
import org.igvm.api.CleanCertResult;
import org.igvm.api.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "clean-cert",
        description = "Revoke and delete a host's certificate on its Puppet CA (over SSH on the CA):"
                + " puppetserver ca clean. A CA without one for the host is a success.",
        mixinStandardHelpOptions = true)
final class CleanCertCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "HOST",
            description = "The host's hostname (a VM of the inventory may be named by a unique short name).")
    String host;

    @Option(
            names = "--ca",
            paramLabel = "CA",
            description = "The Puppet CA host; default the VM's puppet_ca (required for a host not in the inventory).")
    String ca;

    private final LazyRuntime runtime;

    CleanCertCommand(LazyRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Integer call() {
        CleanCertResult r = runtime.igvm().cleanCert(new CleanCertRequest(host, ca));
        spec.commandLine()
                .getOut()
                .println(
                        r.cleaned()
                                ? "revoked and deleted the certificate of " + r.certname() + " on " + r.ca()
                                : r.ca() + " has no certificate of " + r.certname() + "; nothing to clean");
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
