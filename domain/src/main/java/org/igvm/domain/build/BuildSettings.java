package org.igvm.domain.build;

import java.time.Duration;
import java.util.Map;
import org.igvm.api.InvalidInputException;

/**
 * How {@code igvm build} makes a VM (spec §6 defaults): where the guest images come from and are
 * cached on the hypervisor, the XFS compatibility options and the Puppet binary per guest OS, and
 * the waits.
 *
 * @param imageUrl the image URL template: {@code {os}} is replaced by the VM's {@code os}; a
 *     template without it is a base URL that {@code /<os>-base.tar.gz} is appended to; empty when
 *     the site has none (a build then fails before changing anything)
 * @param imageCacheDir the directory on the hypervisor holding the downloaded images
 * @param xfsOptions the {@code mkfs.xfs -c options=/usr/share/xfsprogs/mkfs/<name>.conf} name per
 *     guest OS; an OS not listed gets mkfs.xfs's own defaults
 * @param puppetBinaries the Puppet binary in the guest per OS; an OS not listed gets {@link
 *     #DEFAULT_PUPPET}
 * @param sshTimeout how long the started VM has to answer SSH
 * @param sshPollInterval how long to wait between two SSH attempts
 * @param downloadTimeout how long the image download may take
 * @param caRetries how many times a Puppet CA's CRL race is retried
 * @param caBackoff the wait before the first retry; doubled each time
 * @since 0.4
 */
public record BuildSettings(
        String imageUrl,
        String imageCacheDir,
        Map<String, String> xfsOptions,
        Map<String, String> puppetBinaries,
        Duration sshTimeout,
        Duration sshPollInterval,
        Duration downloadTimeout,
        int caRetries,
        Duration caBackoff) {
    /** The Puppet binary of an OS the settings do not list. */
    public static final String DEFAULT_PUPPET = "/usr/bin/puppet";

    /** The environment variable the spec names for the image URL. */
    public static final String IMAGE_URL_ENV = "IGVM_IMAGE_URL";

    /** spec §6: XFS options per guest OS. */
    public static final Map<String, String> DEFAULT_XFS_OPTIONS =
            Map.of("buster", "lts_4.19", "bullseye", "lts_5.10", "bookworm", "lts_6.1", "trixie", "lts_6.1");

    /** spec §6: the Puppet binary per guest OS. */
    public static final Map<String, String> DEFAULT_PUPPET_BINARIES = Map.of(
            "buster", "/opt/puppetlabs/puppet/bin/puppet",
            "bullseye", "/opt/puppetlabs/puppet/bin/puppet",
            "bookworm", "/usr/bin/puppet",
            "trixie", "/usr/bin/puppet");

    public BuildSettings {
        xfsOptions = Map.copyOf(xfsOptions);
        puppetBinaries = Map.copyOf(puppetBinaries);
        if (!imageCacheDir.startsWith("/")) {
            throw new InvalidInputException(
                    "the image cache directory must be an absolute path, not '" + imageCacheDir + "'");
        }
    }

    /** The defaults: the image URL from {@code $IGVM_IMAGE_URL}, cached in {@code /tmp}, SSH within 3 minutes. */
    public static BuildSettings defaults() {
        return new BuildSettings(
                System.getenv().getOrDefault(IMAGE_URL_ENV, ""),
                "/tmp",
                DEFAULT_XFS_OPTIONS,
                DEFAULT_PUPPET_BINARIES,
                Duration.ofMinutes(3),
                Duration.ofSeconds(2),
                Duration.ofHours(1),
                4,
                Duration.ofSeconds(1));
    }

    /** The image's file name for the OS: {@code <os>-base.tar.gz}. */
    public static String imageName(String os) {
        return os + "-base.tar.gz";
    }

    /** The image's URL for the OS; empty when the site has no image URL. */
    public String imageUrlFor(String os) {
        if (imageUrl.isEmpty()) {
            return "";
        }
        if (imageUrl.contains("{os}")) {
            return imageUrl.replace("{os}", os);
        }
        return imageUrl.replaceAll("/+$", "") + "/" + imageName(os);
    }

    public String puppetBinary(String os) {
        return puppetBinaries.getOrDefault(os, DEFAULT_PUPPET);
    }

    public BuildSettings withImageUrl(String url) {
        return new BuildSettings(
                url,
                imageCacheDir,
                xfsOptions,
                puppetBinaries,
                sshTimeout,
                sshPollInterval,
                downloadTimeout,
                caRetries,
                caBackoff);
    }

    public BuildSettings withWaits(Duration sshTimeout, Duration sshPollInterval, Duration caBackoff) {
        return new BuildSettings(
                imageUrl,
                imageCacheDir,
                xfsOptions,
                puppetBinaries,
                sshTimeout,
                sshPollInterval,
                downloadTimeout,
                caRetries,
                caBackoff);
    }
}
