package org.igvm.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.igvm.api.ExitCodes;
import org.igvm.api.Igvm;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** A command that acts on one VM through the {@link Igvm} facade. */
abstract class VmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "VM", description = "The VM's hostname (a unique short name is enough).")
    String vm;

    private final LazyRuntime runtime;

    VmCommand(LazyRuntime runtime) {
        this.runtime = runtime;
    }

    Igvm igvm() {
        return runtime.igvm();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Override
    public final Integer call() {
        execute();
        out().flush();
        return ExitCodes.OK;
    }

    abstract void execute();
}
