package org.igvm.domain.build;

import java.util.Locale;
import java.util.Optional;

/**
 * One line of curl's progress meter ({@code % Total % Received % Xferd Average-Dload Upload Total
 * Spent Left Current}), e.g. {@code " 45  100M   45 45.2M    0     0  10.1M      0  0:00:09 ..."}:
 * bytes received, bytes in all, and the average download rate. curl writes sizes with 1024-based
 * suffixes {@code k M G T P}.
 */
public record CurlMeterLine(long received, long total, long bytesPerSecond) {
    /** The meter's numbers, or empty for its header lines and anything else. */
    public static Optional<CurlMeterLine> parse(String line) {
        String[] f = line.strip().split("\\s+");
        if (f.length < 7) {
            return Optional.empty();
        }
        try {
            long total = size(f[1]);
            long received = size(f[3]);
            long rate = size(f[6]);
            return Optional.of(new CurlMeterLine(received, total == 0 ? -1 : total, rate));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static long size(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        char last = t.charAt(t.length() - 1);
        long unit =
                switch (last) {
                    case 'k' -> 1L << 10;
                    case 'm' -> 1L << 20;
                    case 'g' -> 1L << 30;
                    case 't' -> 1L << 40;
                    case 'p' -> 1L << 50;
                    default -> 1;
                };
        String number = unit == 1 ? t : t.substring(0, t.length() - 1);
        return (long) (Double.parseDouble(number) * unit);
    }
}
