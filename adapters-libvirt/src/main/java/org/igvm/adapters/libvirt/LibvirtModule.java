package org.igvm.adapters.libvirt;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import org.igvm.domain.spi.hypervisor.HypervisorPort;

/** Binds {@link HypervisorPort} to one shared {@link LibvirtHypervisor}. */
public final class LibvirtModule extends AbstractModule {
    private final LibvirtConfig config;

    public LibvirtModule(LibvirtConfig config) {
        this.config = config;
    }

    @Override
    protected void configure() {
        bind(LibvirtConfig.class).toInstance(config);
        bind(LibvirtHypervisor.class).in(Singleton.class);
        bind(HypervisorPort.class).to(LibvirtHypervisor.class);
    }
}
