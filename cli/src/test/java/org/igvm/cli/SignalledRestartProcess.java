package org.igvm.cli;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import org.igvm.api.IgvmException;
import org.igvm.bootstrap.IgvmConfig;
import org.igvm.bootstrap.IgvmRuntime;
import org.igvm.domain.IgvmService;
import org.igvm.domain.command.CommandEnvironment;
import org.igvm.domain.hypervisor.SiteSettings;
import org.igvm.domain.spi.hypervisor.HypervisorPort;
import org.igvm.domain.spi.shell.HostShellPort;

/**
 * {@code igvm restart web01} in a JVM of its own with igvm's signal handling, on a hypervisor whose
 * guest ignores the ACPI shutdown (so the restart waits) and whose start takes two seconds that
 * cannot be interrupted, like a libvirt call. Prints igvm's lines on stdout, then exits with igvm's
 * exit code.
 */
public final class SignalledRestartProcess {
    private SignalledRestartProcess() {}

    public static void main(String[] args) throws Exception {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        IgvmRuntime runtime = IgvmRuntime.start(IgvmConfig.load(Path.of(args[0]), true));
        HypervisorPort real = runtime.injector().getInstance(HypervisorPort.class);
        HypervisorPort slow = (HypervisorPort) Proxy.newProxyInstance(
                HypervisorPort.class.getClassLoader(), new Class<?>[] {HypervisorPort.class}, (p, m, a) -> {
                    if (m.getName().equals("shutdown")) {
                        out.println("shutdown asked");
                        return null;
                    }
                    if (m.getName().equals("start")) {
                        out.println("starting");
                        long until = System.nanoTime() + 2_000_000_000L;
                        while (System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                    }
                    try {
                        return m.invoke(real, a);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        IgvmService igvm = new IgvmService(new CommandEnvironment(
                runtime.inventory(),
                slow,
                runtime.injector().getInstance(SiteSettings.class),
                runtime.locks(),
                runtime.operations(),
                runtime.injector().getInstance(HostShellPort.class),
                Clock.systemUTC()));
        int code = 0;
        IgvmRuntime started = runtime;
        LazyRuntime lazy = new LazyRuntime(() -> started);
        lazy.igvm(); // started already: cancelling reaches its operations
        CancelOnSignal signals = CancelOnSignal.install(lazy, out);
        try {
            igvm.restart(org.igvm.api.RestartRequest.builder("web01").build());
        } catch (IgvmException e) {
            out.println("igvm: " + e.getMessage());
            code = e.exitCode();
        } finally {
            out.println("state "
                    + real.findDomain("hv01.example.net", 4242).orElseThrow().state());
            runtime.close();
            signals.close();
        }
        System.exit(code);
    }
}
