package org.igvm.domain.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The steps of {@code igvm build} (spec §3 build), in order, as progress events name them. */
public enum BuildStep {
    /** 1. The VM's attributes. */
    VALIDATE,
    /** 2. The hypervisor: the inventory's, or placement's choice; locked. */
    HYPERVISOR,
    /** 3. A running domain refused; with --rebuild a stopped one removed with its volume. */
    CHECK_EXISTING,
    /** 4. The volume in the pool. */
    VOLUME,
    /** 4. XFS with the OS's options, mounted on the hypervisor. */
    FILESYSTEM,
    /** 4. The image downloaded into the cache and verified. */
    IMAGE,
    /** 4. The image extracted with its extended attributes. */
    EXTRACT,
    /** 5. Names, fstab, hosts, resolv.conf, network, fresh SSH host keys. */
    ROOT_FS,
    /** 6. Puppet in a chroot. */
    PUPPET,
    /** 7. The postboot script copied in. */
    COPY_POSTBOOT,
    /** 7. The volume unmounted. */
    UNMOUNT,
    /** 7. The domain defined from the inventory. */
    DEFINE,
    /** 7. The inventory committed: hypervisor, sshfp. */
    COMMIT,
    /** 7. The VM started. */
    START,
    /** 7. SSH answers with the new host keys. */
    WAIT_SSH,
    /** 7. The postboot script run and deleted. */
    POSTBOOT;

    /** The step's name in progress events: {@code check-existing}, {@code root-fs}, … */
    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The steps a build with these options takes. */
    public static List<BuildStep> of(boolean barebones, boolean puppet, boolean postboot) {
        List<BuildStep> steps = new ArrayList<>();
        for (BuildStep step : values()) {
            boolean wanted =
                    switch (step) {
                        case FILESYSTEM, IMAGE, EXTRACT, ROOT_FS, UNMOUNT, START, WAIT_SSH -> !barebones;
                        case PUPPET -> !barebones && puppet;
                        case COPY_POSTBOOT, POSTBOOT -> !barebones && postboot;
                        default -> true;
                    };
            if (wanted) {
                steps.add(step);
            }
        }
        return steps;
    }
}
