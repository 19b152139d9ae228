package org.igvm.domain.command;

import java.time.Duration;
import java.time.Instant;
import org.igvm.api.CancelledException;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.operation.RunningOperation;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.DomainState;
import org.igvm.domain.transaction.Transaction;
import org.igvm.domain.vm.VmPlacement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starting and stopping domains, each verified by reading the state back. Its waits end at once
 * when the running operation is cancelled.
 */
final class PowerControl {
    private static final Logger log = LoggerFactory.getLogger(PowerControl.class);
    private static final Duration POLL = Duration.ofMillis(250);

    private final CommandEnvironment env;

    PowerControl(CommandEnvironment env) {
        this.env = env;
    }

    void start(VmPlacement vm, String domainName) {
        env.hypervisors().start(vm.hypervisorName(), domainName);
        DomainState state = currentState(vm);
        if (!state.isActive()) {
            throw new OperationFailedException(
                    vm.hostname() + " did not start on " + vm.hypervisorName() + " (it is " + word(state) + ")");
        }
        log.info("{} started on {}", vm.hostname(), vm.hypervisorName());
    }

    /**
     * Shuts the domain down gracefully and waits for it; after the site's shutdown timeout (or at
     * once with {@code force}) it is destroyed. As soon as the shutdown has been asked for, {@code
     * tx} learns to start the VM again, so a cancellation during the wait restarts it too.
     */
    void stop(VmPlacement vm, String domainName, boolean force, Transaction tx) {
        String hv = vm.hypervisorName();
        if (!force) {
            env.hypervisors().shutdown(hv, domainName);
            tx.onRollback("start " + vm.hostname() + " again", () -> startAgain(vm, domainName));
            Duration timeout = env.settings().shutdownTimeout();
            if (waitForStop(vm, timeout)) {
                log.info("{} shut down on {}", vm.hostname(), hv);
                return;
            }
            log.warn("{} did not shut down within {} s; forcing it off", vm.hostname(), timeout.toSeconds());
        }
        checkpoint();
        env.hypervisors().destroy(hv, domainName);
        if (force) {
            tx.onRollback("start " + vm.hostname() + " again", () -> startAgain(vm, domainName));
        }
        if (!waitForStop(vm, Duration.ofSeconds(10))) {
            throw new OperationFailedException(
                    vm.hostname() + " is still running on " + hv + " after being forced off");
        }
        log.info("{} forced off on {}", vm.hostname(), hv);
    }

    /** Forces the domain off (an undo: a VM igvm started with a definition being rolled back). */
    void forceOff(VmPlacement vm, String domainName) {
        if (currentState(vm).isActive()) {
            env.hypervisors().destroy(vm.hypervisorName(), domainName);
            if (!waitForStop(vm, Duration.ofSeconds(10))) {
                throw new OperationFailedException(
                        vm.hostname() + " is still running on " + vm.hypervisorName() + " after being forced off");
            }
        }
    }

    /** Starts the VM again after an interrupted stop; one still shutting down is forced off first. */
    private void startAgain(VmPlacement vm, String domainName) {
        forceOff(vm, domainName);
        start(vm, domainName);
    }

    private boolean waitForStop(VmPlacement vm, Duration timeout) {
        Instant deadline = env.clock().instant().plus(timeout);
        while (true) {
            checkpoint();
            if (!currentState(vm).isActive()) {
                return true;
            }
            if (env.clock().instant().isAfter(deadline)) {
                return false;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                checkpoint();
                throw new CancelledException("interrupted while waiting for " + vm.hostname() + " to stop", e);
            }
        }
    }

    /** A step boundary of the operation running on this thread, if any. */
    private void checkpoint() {
        env.operations().onThisThread().ifPresent(RunningOperation::checkpoint);
    }

    private DomainState currentState(VmPlacement vm) {
        return env.hypervisors()
                .findDomain(vm.hypervisorName(), vm.vm().objectId())
                .map(DomainInfo::state)
                .orElse(DomainState.NOSTATE);
    }

    static String word(DomainState state) {
        return state.name().toLowerCase(java.util.Locale.ROOT);
    }
}
