package org.igvm.api;

/**
 * Where {@link Igvm#evacuate} reports how the evacuation goes. Migrations run on threads of their
 * own: every method may be called from any thread and must not block. All have empty defaults.
 */
public interface EvacuationProgress {
    /** A VM's migration starts; its progress goes to the listener returned. */
    default MigrationProgress started(String vm, String target, String mode, String transport) {
        return MigrationProgress.none();
    }

    /** A VM's migration has ended, moved or not. */
    default void finished(VmEvacuation outcome) {}

    /** A VM that was planned onto a target whose migration failed goes elsewhere. */
    default void replanned(String vm, String before, String after) {}

    /** A listener that drops everything. */
    static EvacuationProgress none() {
        return new EvacuationProgress() {};
    }
}
