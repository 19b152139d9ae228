package org.igvm.cli;

/**
 * Text as it may be echoed on an operator's terminal: control and format characters (a newline, a
 * TAB, ESC, U+202E RIGHT-TO-LEFT OVERRIDE…) from user input are written as escapes, so an error
 * stays one line and cannot rewrite or reorder what the terminal shows.
 */
final class PrintableText {
    private PrintableText() {}

    static String of(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int width = Character.charCount(c);
            String escape = escape(c);
            if (escape != null && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (out != null) {
                if (escape != null) {
                    out.append(escape);
                } else {
                    out.appendCodePoint(c);
                }
            }
            i += width;
        }
        return out == null ? text : out.toString();
    }

    /** The escape for a character a terminal would not show as itself; null for a printable one. */
    private static String escape(int c) {
        switch (c) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            default:
                break;
        }
        int type = Character.getType(c);
        boolean hidden = type == Character.CONTROL
                || type == Character.FORMAT
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE
                || type == Character.SURROGATE; // a lone half of a pair
        if (!hidden) {
            return null;
        }
        return c <= 0xffff ? String.format("\\u%04x", c) : String.format("\\U%08x", c);
    }
}
