package org.igvm.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A transfer rate as {@code --bwlimit} takes it: a number with an optional binary unit {@code K M
 * G T} (with optional {@code iB} or {@code B}, any case, as every size igvm takes) and an optional
 * {@code /s}; a bare number is in bytes per second. {@code 100M} is 100 MiB/s.
 */
public final class ByteRate {
    private static final Pattern RATE =
            Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:([kmgt])(?:i?b)?|b)?(?:/s)?", Pattern.CASE_INSENSITIVE);

    private ByteRate() {}

    /** The rate in bytes per second; anything else is an {@link InvalidInputException} of one line. */
    public static long parse(String text) {
        Matcher m = text == null ? null : RATE.matcher(text.strip());
        if (m == null || !m.matches()) {
            throw new InvalidInputException("invalid rate '" + text
                    + "': write bytes per second as a number with an optional unit K, M, G or T (e.g. 100M, 1G)");
        }
        int power = m.group(2) == null ? 0 : "kmgt".indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1;
        BigDecimal bytes =
                new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024).pow(power));
        long value;
        try {
            value = bytes.setScale(0, RoundingMode.UNNECESSARY).longValueExact();
        } catch (ArithmeticException e) {
            throw new InvalidInputException(
                    "invalid rate '" + text + "': it is not a whole number of bytes per second");
        }
        if (value <= 0) {
            throw new InvalidInputException("invalid rate '" + text + "': it must be more than 0 bytes per second");
        }
        return value;
    }
}
