package org.igvm.domain.inventory;

import java.util.List;

/** How a commit changes one attribute of an existing object. */
public sealed interface AttributeUpdate {
    /**
     * Replace a value. The commit fails with newer data when the stored value is no longer
     * {@code oldValue} (null means empty).
     */
    record Set(Object oldValue, Object newValue) implements AttributeUpdate {}

    /** Add and remove values of a multi-valued attribute; never conflicts. */
    record Multi(List<Object> add, List<Object> remove) implements AttributeUpdate {
        public Multi {
            add = List.copyOf(add);
            remove = List.copyOf(remove);
        }
    }
}
