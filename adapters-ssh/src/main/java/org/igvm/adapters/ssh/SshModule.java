package org.igvm.adapters.ssh;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;

/** Binds the SSH shell port; the runtime closes it, and with it every connection, on exit. */
public final class SshModule extends AbstractModule {
    private final SshConfig config;

    public SshModule(SshConfig config) {
        this.config = config;
    }

    @Provides
    @Singleton
    SshShellPort sshShellPort() {
        return new SshShellPort(config);
    }
}
