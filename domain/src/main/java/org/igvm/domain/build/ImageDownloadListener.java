package org.igvm.domain.build;

/** What the image download reports as it goes. */
public interface ImageDownloadListener {
    /** A line for the operator (cache reused, checksum mismatch). */
    void detail(String line);

    /** Bytes so far; {@code total} and {@code bytesPerSecond} -1 when unknown. */
    void bytes(long done, long total, long bytesPerSecond);
}
