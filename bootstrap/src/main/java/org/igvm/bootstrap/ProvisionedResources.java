package org.igvm.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.matcher.Matchers;
import com.google.inject.spi.ProvisionListener;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers the objects the injector created, so the runtime closes exactly those (connections,
 * the inventory) and creates nothing just to close it.
 */
final class ProvisionedResources {
    private static final Logger log = LoggerFactory.getLogger(ProvisionedResources.class);

    private final List<Object> created = new ArrayList<>();

    Module module() {
        ProvisionListener listener = new ProvisionListener() {
            @Override
            public <T> void onProvision(ProvisionInvocation<T> provision) {
                T object = provision.provision();
                synchronized (created) {
                    if (object != null && !created.contains(object)) {
                        created.add(object);
                    }
                }
            }
        };
        return new AbstractModule() {
            @Override
            protected void configure() {
                bindListener(Matchers.any(), listener);
            }
        };
    }

    <T> List<T> created(Class<T> type) {
        synchronized (created) {
            return created.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    /** Closes every created closeable, newest first (commands before connections before the inventory). */
    void closeAll() {
        List<AutoCloseable> closeables = new ArrayList<>(created(AutoCloseable.class));
        java.util.Collections.reverse(closeables);
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("could not close {}: {}", c.getClass().getSimpleName(), e.getMessage());
            }
        }
    }
}
