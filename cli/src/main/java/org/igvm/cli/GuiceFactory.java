package org.igvm.cli;

import com.google.inject.ConfigurationException;
import com.google.inject.Injector;
import picocli.CommandLine;

/** Lets picocli create its command objects through the injector, so commands get their dependencies. */
final class GuiceFactory implements CommandLine.IFactory {
    private final Injector injector;

    GuiceFactory(Injector injector) {
        this.injector = injector;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        try {
            return injector.getInstance(type);
        } catch (ConfigurationException e) {
            // picocli also creates its own helpers (collections, converters): not ours to inject.
            return CommandLine.defaultFactory().create(type);
        }
    }
}
