package org.igvm.domain.inventory;

/**
 * One lexical token of the text query language, numbered from 1 so errors can point at it.
 *
 * @param number position among the query's tokens, from 1
 * @param kind what the token is
 * @param text the token as written (for error messages)
 * @param value the key or function name without {@code =}/{@code (}, or the literal's text
 * @param quoted whether a literal was written in quotes (quoted literals are never typed)
 */
record QueryToken(int number, Kind kind, String text, String value, boolean quoted) {
    enum Kind {
        KEY,
        FUNCTION,
        CLOSE,
        LITERAL
    }
}
