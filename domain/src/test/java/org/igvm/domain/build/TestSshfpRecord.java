package org.igvm.domain.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.igvm.api.OperationFailedException;
import org.junit.jupiter.api.Test;

/** SSHFP records as {@code ssh-keygen -r} prints them for the same keys (OpenSSH 9, these values). */
class TestSshfpRecord {
    static final String ECDSA =
            "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBP1wxt8104PhE3lc"
                    + "ukZTYktWWNbz/dB7G+iTV35fO5nuDGTbb66Wb9e7qBo1VN7uXRWJgYbY7D3xL/Xcg5U66hE= test";
    static final String ED25519 =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICztAy760jvZA42DLg1Mc6yH2UMtrrO0Pfm6VNGnhMdC test";

    @Test
    void theRecordsAreThoseOfSshKeygen() {
        assertThat(SshfpRecord.of(ECDSA))
                .extracting(SshfpRecord::toString)
                .containsExactly(
                        "3 1 32f176938ab3f083deddd9fc0860d9b0b7d4d230",
                        "3 2 24ac4658c915cb8838ab435ff03631a436676620c9514d320440c54bedbec22d");
        assertThat(SshfpRecord.of(ED25519))
                .extracting(SshfpRecord::toString)
                .containsExactly(
                        "4 1 c552c5b8a0878376e04884ac7c886204166b0043",
                        "4 2 edb1f5f544b9264c4de6356640ad2589915c010575f3016f0a9bb4ba788342a7");
    }

    @Test
    void aKeyWhoseDataHoldsAnotherTypeIsRefused() {
        String forged = "ssh-rsa " + ED25519.split(" ")[1];
        assertThat(catchThrowable(() -> SshfpRecord.of(forged)))
                .isInstanceOf(OperationFailedException.class)
                .hasMessage("the public key says ssh-rsa but its data holds a ssh-ed25519 key");
        assertThat(catchThrowable(() -> SshfpRecord.of("ssh-dss AAAA")))
                .isInstanceOf(OperationFailedException.class)
                .hasMessage("no SSHFP algorithm for host key type ssh-dss");
    }
}
