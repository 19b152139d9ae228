package org.igvm.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.igvm.api.ExitCodes;
import org.igvm.api.RefusedException;
import org.igvm.domain.inventory.InventoryPort;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.lock.LockStatus;
import org.igvm.domain.lock.ObjectLocks;
import org.igvm.domain.vm.VmLookup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "unlock",
        description = "Break the igvm lock on a VM or hypervisor whose holder died (asks for confirmation).",
        mixinStandardHelpOptions = true)
final class UnlockCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HOST", description = "The locked VM or hypervisor.")
    String host;

    @Option(names = "--yes", description = "Do not ask; for scripts.")
    boolean yes;

    private final Provider<InventoryPort> inventory;
    private final Provider<ObjectLocks> locks;

    @Inject
    UnlockCommand(Provider<InventoryPort> inventory, Provider<ObjectLocks> locks) {
        this.inventory = inventory;
        this.locks = locks;
    }

    @Override
    public Integer call() throws IOException {
        ServerObject object = new VmLookup(inventory.get()).object(host);
        LockStatus status = locks.get().status(object);
        var out = spec.commandLine().getOut();
        if (!status.locked()) {
            throw new RefusedException(object.hostname() + " is not locked; nothing to unlock");
        }
        out.println(status.describe());
        if (!yes) {
            out.print("Break this lock? Only do so if no igvm works on it any more. [y/N] ");
            out.flush();
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).startsWith("y")) {
                out.println("left locked");
                return ExitCodes.REFUSED;
            }
        }
        locks.get().breakLock(object, true);
        out.println(object.hostname() + " unlocked");
        return ExitCodes.OK;
    }
}
