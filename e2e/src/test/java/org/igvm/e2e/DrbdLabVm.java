package org.igvm.e2e;

import java.util.List;

/** vmd.lab, the VM of the lab's DRBD hypervisors ({@code igvm-lab up --drbd}): its names, and its removal. */
final class DrbdLabVm {
    static final String VM = "vmd.lab";
    static final String DOMAIN = "6101_vmd.lab";
    static final String A = "drbd1.lab";
    static final String B = "drbd2.lab";
    /** The DRBD resource the transport names after the VM's uid name. */
    static final String RES = "igvm_6101_vmd_lab";

    private DrbdLabVm() {}

    /** Its domain and volume gone from both hosts, whatever a test left. */
    static void removeFromBothHosts() {
        for (String hv : List.of(A, B)) {
            if (Lab.domstate(hv, DOMAIN).isPresent()) {
                Lab.virsh(hv, "destroy", DOMAIN);
                Lab.virsh(hv, "undefine", DOMAIN);
            }
            Lab.virsh(hv, "vol-delete", "--pool", "xen-data", DOMAIN);
        }
    }
}
