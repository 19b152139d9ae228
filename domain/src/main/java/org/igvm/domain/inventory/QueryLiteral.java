package org.igvm.domain.inventory;

/** A value written as a literal of the text query language, so {@link QueryParser} reads it back unchanged. */
public final class QueryLiteral {
    private QueryLiteral() {}

    /**
     * The value in single quotes, with {@code \} and {@code '} escaped: quoted literals are never
     * typed nor split, so any text (spaces, parentheses, {@code =}, quotes) comes back as that text.
     */
    public static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
