package org.igvm.domain.size;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.igvm.api.InvalidInputException;

/**
 * Parses sizes as commands take them: a number with an optional unit {@code K M G T} (with
 * optional {@code iB} or {@code B}, any case; all binary), {@code +N}/{@code -N} relative. A bare
 * number is in the command's default unit. A result that is not a whole number of the target unit
 * is an error.
 */
public final class SizeParser {
    private static final Pattern SIZE =
            Pattern.compile("([+-]?)(\\d+(?:\\.\\d+)?)\\s*(?:([kmgt])(?:i?b)?)?", Pattern.CASE_INSENSITIVE);

    /** The units, as powers of 1024 bytes. */
    public enum Unit {
        KIB(1),
        MIB(2),
        GIB(3),
        TIB(4);

        final int power;

        Unit(int power) {
            this.power = power;
        }

        String word() {
            return name().charAt(0) + "iB";
        }
    }

    private SizeParser() {}

    /**
     * @param text what the user wrote
     * @param unit the unit of a bare number and of the result
     */
    public static Size parse(String text, Unit unit) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new InvalidInputException("invalid size '" + text
                    + "': write a number with an optional unit K, M, G or T (e.g. 2048, 4G, +1GiB)");
        }
        boolean relative = !m.group(1).isEmpty();
        BigDecimal number = new BigDecimal(m.group(2));
        int power = m.group(3) == null ? unit.power : "kmgt".indexOf(m.group(3).toLowerCase(Locale.ROOT)) + 1;
        BigDecimal inUnit = number.multiply(BigDecimal.valueOf(1024).pow(Math.max(0, power - unit.power)))
                // Powers of 1024 divide exactly in decimal, so this never rounds.
                .divide(BigDecimal.valueOf(1024).pow(Math.max(0, unit.power - power)));
        BigDecimal whole;
        try {
            whole = inUnit.setScale(0, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new InvalidInputException("invalid size '" + text + "': it is not a whole number of " + unit.word()
                    + "; give a multiple of 1 " + unit.word());
        }
        long value = whole.longValueExact();
        if ("-".equals(m.group(1))) {
            value = -value;
        }
        return new Size(value, relative);
    }
}
