package org.igvm.domain.command;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.igvm.api.CancelledException;
import org.igvm.api.IgvmException;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.operation.RunningOperation;
import org.igvm.domain.spi.shell.HostShell;

/**
 * Logs in to a running VM (at its {@code intern_ip}, else its hostname) to change or check it from
 * inside; only where the site allows guest logins ({@code site.guest_logins}).
 */
final class GuestProbe {
    private static final Duration POLL = Duration.ofSeconds(1);

    private final CommandEnvironment env;
    private final ServerObject vm;

    GuestProbe(CommandEnvironment env, ServerObject vm) {
        this.env = env;
        this.vm = vm;
    }

    boolean enabled() {
        return env.settings().guestLogins();
    }

    String address() {
        String ip = vm.string("intern_ip");
        return ip == null || ip.isEmpty() ? vm.hostname() : ip;
    }

    /** Runs {@code action} once on the guest's shell. */
    <T> T once(Function<HostShell, T> action) {
        try (HostShell shell = env.shells().open(address())) {
            return action.apply(shell);
        }
    }

    /**
     * Asks the guest until {@code probe} yields a value (a guest onlines hot-plugged resources a
     * moment later); past {@code timeout} fails with what was expected and the last answer.
     */
    <T> T await(
            String expected,
            Duration timeout,
            Function<HostShell, Optional<T>> probe,
            Function<HostShell, String> seen) {
        Instant deadline = env.clock().instant().plus(timeout);
        String last = "no answer";
        while (true) {
            checkpoint();
            try (HostShell shell = env.shells().open(address())) {
                Optional<T> value = probe.apply(shell);
                if (value.isPresent()) {
                    return value.get();
                }
                last = seen.apply(shell);
            } catch (CancelledException e) {
                throw e;
            } catch (IgvmException e) {
                last = e.getMessage();
            }
            if (env.clock().instant().isAfter(deadline)) {
                throw new OperationFailedException(vm.hostname() + " does not show " + expected + " within "
                        + timeout.toSeconds() + " s (it shows: " + last + ")");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                checkpoint();
                throw new CancelledException("interrupted while waiting for " + vm.hostname(), e);
            }
        }
    }

    private void checkpoint() {
        env.operations().onThisThread().ifPresent(RunningOperation::checkpoint);
    }
}
