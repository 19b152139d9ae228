package org.igvm.cli;

import picocli.CommandLine.IVersionProvider;

/** igvm's version, from the jar's manifest when packaged. */
final class IgvmVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = IgvmVersion.class.getPackage().getImplementationVersion();
        return new String[] {"igvm " + (version == null ? "(development build)" : version)};
    }
}
