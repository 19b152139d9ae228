package org.igvm.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.igvm.api.ExitCodes;
import org.igvm.api.LockInfo;
import org.igvm.api.Locks;
import org.igvm.api.RefusedException;
import org.igvm.api.UnlockRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "unlock",
        description = "Break the igvm lock on a VM or hypervisor whose holder died (asks for confirmation)."
                + " A lock whose holder still looks alive is refused unless --force.",
        mixinStandardHelpOptions = true)
final class UnlockCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HOST", description = "The locked VM or hypervisor.")
    String host;

    @Option(names = "--yes", description = "Do not ask; for scripts.")
    boolean yes;

    @Option(
            names = "--force",
            description = "Also break a lock that is still fresh (its holder looks alive). Only when you"
                    + " know that holder is stuck: its operation may still be changing the object.")
    boolean force;

    private final LazyRuntime runtime;

    UnlockCommand(LazyRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Integer call() throws IOException {
        Locks locks = runtime.igvm().locks();
        LockInfo status = locks.status(host);
        var out = spec.commandLine().getOut();
        if (!status.locked()) {
            throw new RefusedException(status.hostname() + " is not locked; nothing to unlock");
        }
        out.println(status.description());
        if (!yes) {
            out.print("Break this lock? Only do so if no igvm works on it any more. [y/N] ");
            out.flush();
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).startsWith("y")) {
                out.println("left locked");
                return ExitCodes.REFUSED;
            }
        }
        locks.unlock(UnlockRequest.builder(status.hostname()).force(force).build());
        out.println(status.hostname() + " unlocked");
        return ExitCodes.OK;
    }
}
