package org.igvm.adapters.local;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.time.Duration;
import org.igvm.domain.spi.shell.HostShellPort;

/** Binds the host shell port to this machine's shell. */
public final class LocalShellModule extends AbstractModule {
    private final Duration commandTimeout;

    public LocalShellModule(Duration commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    @Provides
    @Singleton
    HostShellPort hostShellPort() {
        return new LocalShellPort(commandTimeout);
    }
}
