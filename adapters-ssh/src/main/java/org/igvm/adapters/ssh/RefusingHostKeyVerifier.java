package org.igvm.adapters.ssh;

import net.schmizz.sshj.transport.verification.HostKeyVerifier;

/** A host key verifier that can say why it refused a key, for the operator's error line. */
interface RefusingHostKeyVerifier extends HostKeyVerifier {
    /** Why the last key was refused; null when none was. */
    String refusal();
}
