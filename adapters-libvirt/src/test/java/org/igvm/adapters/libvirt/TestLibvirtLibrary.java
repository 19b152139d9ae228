package org.igvm.adapters.libvirt;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.igvm.api.OperationFailedException;
import org.junit.jupiter.api.Test;

/** A machine without libvirt's client library gets one line naming the package, not a linker trace. */
class TestLibvirtLibrary {
    @Test
    void aLibraryThatCannotBeLinkedIsOneLineSayingWhatToInstall() {
        assertThatThrownBy(() -> LibvirtLibrary.load(() -> System.loadLibrary("igvm-no-such-library")))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageStartingWith("cannot load libvirt's client library (no igvm-no-such-library in ")
                .hasMessageEndingWith("); install it with: apt-get install libvirt0")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aMultiLineLinkerMessageIsCutToItsReason() {
        assertThatThrownBy(() -> LibvirtLibrary.load(() -> {
                    throw new UnsatisfiedLinkError("Unable to load library 'virt':\nlibvirt.so: cannot open shared"
                            + " object file: No such file or directory\nNative library not found in resource path");
                }))
                .isInstanceOf(OperationFailedException.class)
                .hasMessage("cannot load libvirt's client library (Unable to load library 'virt': libvirt.so: cannot"
                        + " open shared object file: No such file or directory); install it with: apt-get install"
                        + " libvirt0");
    }
}
