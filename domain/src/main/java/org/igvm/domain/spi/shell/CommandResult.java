package org.igvm.domain.spi.shell;

/** What a command run on a host ended with. */
public record CommandResult(String host, String command, int exitStatus, String stdout, String stderr) {
    public boolean succeeded() {
        return exitStatus == 0;
    }
}
