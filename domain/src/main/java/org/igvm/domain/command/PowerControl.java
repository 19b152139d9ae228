package org.igvm.domain.command;

import java.time.Duration;
import java.time.Instant;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.DomainState;
import org.igvm.domain.vm.VmPlacement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starting and stopping domains, each verified by reading the state back. */
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
     * once with {@code force}) it is destroyed.
     */
    void stop(VmPlacement vm, String domainName, boolean force) {
        String hv = vm.hypervisorName();
        if (!force) {
            env.hypervisors().shutdown(hv, domainName);
            Duration timeout = env.settings().shutdownTimeout();
            if (waitForStop(vm, timeout)) {
                log.info("{} shut down on {}", vm.hostname(), hv);
                return;
            }
            log.warn("{} did not shut down within {} s; forcing it off", vm.hostname(), timeout.toSeconds());
        }
        env.hypervisors().destroy(hv, domainName);
        if (!waitForStop(vm, Duration.ofSeconds(10))) {
            throw new OperationFailedException(
                    vm.hostname() + " is still running on " + hv + " after being forced off");
        }
        log.info("{} forced off on {}", vm.hostname(), hv);
    }

    private boolean waitForStop(VmPlacement vm, Duration timeout) {
        Instant deadline = env.clock().instant().plus(timeout);
        while (true) {
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
                throw new OperationFailedException("interrupted while waiting for " + vm.hostname() + " to stop");
            }
        }
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
