package org.igvm.domain.violation;

import com.google.inject.Injector;

/** A deliberate breach of the dependency rule, so its test can show the rule fails on one. */
public final class DomainClassUsingGuice {
    public Object use(Injector injector) {
        return injector.getInstance(Object.class);
    }
}
