package org.igvm.domain.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a text query into tokens: whitespace separates; {@code '…'}/{@code "…"} quote (with
 * {@code \\}, {@code \'} and {@code \"} escapes); {@code name(} opens a function, {@code )} closes
 * one; {@code key=} starts a term.
 */
final class QueryTokenizer {
    private final String query;
    private final List<QueryToken> tokens = new ArrayList<>();
    private int pos;

    private QueryTokenizer(String query) {
        this.query = query;
    }

    static List<QueryToken> tokenize(String query) {
        QueryTokenizer tokenizer = new QueryTokenizer(query);
        tokenizer.run();
        return List.copyOf(tokenizer.tokens);
    }

    private void run() {
        while (pos < query.length()) {
            char c = query.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '\'' || c == '"') {
                quoted(c);
            } else if (c == ')') {
                add(QueryToken.Kind.CLOSE, ")", ")", false);
                pos++;
            } else {
                unquoted();
            }
        }
    }

    private void quoted(char quote) {
        int start = pos;
        StringBuilder value = new StringBuilder();
        pos++;
        while (pos < query.length()) {
            char c = query.charAt(pos);
            if (c == '\\' && pos + 1 < query.length() && "\\'\"".indexOf(query.charAt(pos + 1)) >= 0) {
                value.append(query.charAt(pos + 1));
                pos += 2;
            } else if (c == quote) {
                pos++;
                add(QueryToken.Kind.LITERAL, query.substring(start, pos), value.toString(), true);
                return;
            } else {
                value.append(c);
                pos++;
            }
        }
        throw QueryParser.malformed(
                tokens.size() + 1,
                query.substring(start),
                "unclosed quote; close it with " + quote + " (escape a quote inside with \\" + quote + ")");
    }

    private void unquoted() {
        int start = pos;
        while (pos < query.length()) {
            char c = query.charAt(pos);
            if (Character.isWhitespace(c) || c == ')') {
                break;
            }
            if (c == '(' || c == '=') {
                String name = query.substring(start, pos);
                pos++;
                String text = query.substring(start, pos);
                if (name.isEmpty()) {
                    throw QueryParser.malformed(
                            tokens.size() + 1,
                            text,
                            c == '('
                                    ? "'(' needs a function name, e.g. Any("
                                    : "'=' needs an attribute name, e.g. state=");
                }
                add(c == '(' ? QueryToken.Kind.FUNCTION : QueryToken.Kind.KEY, text, name, false);
                return;
            }
            if (c == '\'' || c == '"') {
                String text = query.substring(start, pos + 1);
                throw QueryParser.malformed(
                        tokens.size() + 1,
                        text,
                        "a quote inside a word; put whitespace before it or quote the whole word");
            }
            pos++;
        }
        String text = query.substring(start, pos);
        add(QueryToken.Kind.LITERAL, text, text, false);
    }

    private void add(QueryToken.Kind kind, String text, String value, boolean quoted) {
        tokens.add(new QueryToken(tokens.size() + 1, kind, text, value, quoted));
    }
}
