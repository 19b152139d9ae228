package org.igvm.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import org.igvm.adapters.local.LocalShellPort;
import org.igvm.adapters.ssh.SshConfig;
import org.igvm.adapters.ssh.SshModule;
import org.igvm.adapters.ssh.SshShellPort;
import org.igvm.domain.spi.shell.HostShellPort;

/** Binds the host shell port: this machine's shell for {@code localhost}, SSH for every other host. */
final class HostShellModule extends AbstractModule {
    private final SshConfig ssh;

    HostShellModule(SshConfig ssh) {
        this.ssh = ssh;
    }

    @Override
    protected void configure() {
        install(new SshModule(ssh));
    }

    @Provides
    @Singleton
    HostShellPort hostShellPort(SshShellPort remote) {
        return new HostShellRouter(new LocalShellPort(ssh.commandTimeout()), remote);
    }
}
