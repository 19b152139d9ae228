package org.igvm.domain.vm;

/**
 * The name of a VM's domain and volume on a hypervisor: {@code <object_id>_<hostname>}. A name
 * belongs to a VM when the part before the first {@code _} is its object id, so a renamed VM is
 * still found.
 */
public final class UidName {
    private UidName() {}

    public static String of(long objectId, String hostname) {
        return objectId + "_" + hostname;
    }

    /** Whether the domain or volume name belongs to the object id. */
    public static boolean belongsTo(String name, long objectId) {
        int underscore = name.indexOf('_');
        return underscore > 0 && name.substring(0, underscore).equals(Long.toString(objectId));
    }
}
