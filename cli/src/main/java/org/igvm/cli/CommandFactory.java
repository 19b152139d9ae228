package org.igvm.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;

/**
 * Creates picocli's command objects without the injector: a command whose constructor takes the
 * {@link LazyRuntime} gets it, and reaches the API only when it runs; everything else (picocli's
 * own helpers, option holders) comes from picocli's default factory.
 */
final class CommandFactory implements CommandLine.IFactory {
    private final LazyRuntime runtime;

    CommandFactory(LazyRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        Constructor<K> withRuntime;
        try {
            withRuntime = type.getDeclaredConstructor(LazyRuntime.class);
        } catch (NoSuchMethodException e) {
            return CommandLine.defaultFactory().create(type);
        }
        withRuntime.setAccessible(true);
        return withRuntime.newInstance(runtime);
    }
}
