package org.igvm.adapters.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * All stored values of one object as one text, so a large query reads one row per object instead
 * of one per value (sqlite-jdbc spends about a microsecond in native calls per row and column).
 * Each value, in the order of attribute name and then position, is {@code name=length:text}, the
 * length in UTF-16 units: any text, separators included, reads back unchanged. Attribute names
 * never hold {@code =}. An object without values has the empty document.
 */
final class ObjectDocument {
    private ObjectDocument() {}

    /** The document of these values: name → texts in position order (any map order). */
    static String encode(Map<String, List<String>> values) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(values).forEach((name, texts) -> {
            for (String text : texts) {
                out.append(name).append('=').append(text.length()).append(':').append(text);
            }
        });
        return out.toString();
    }

    /**
     * Steps through a document's values in order without copying names: a large query compares
     * each name in place with the few it prints and copies only their texts.
     */
    static final class Cursor {
        private final String document;
        private int at;
        private int nameEnd;
        private int textStart;
        private int textEnd;
        private int nameStart;

        Cursor(String document) {
            this.document = document;
        }

        /** Moves to the next value; false after the last. A malformed document is an {@link IllegalStateException}. */
        boolean next() {
            if (at >= document.length()) {
                return false;
            }
            int equals = document.indexOf('=', at);
            int colon = equals < 0 ? -1 : document.indexOf(':', equals);
            if (colon < 0) {
                throw malformed();
            }
            int length;
            try {
                length = Integer.parseInt(document, equals + 1, colon, 10);
            } catch (NumberFormatException e) {
                throw malformed();
            }
            if (length < 0 || colon + 1 + length > document.length()) {
                throw malformed();
            }
            nameStart = at;
            nameEnd = equals;
            textStart = colon + 1;
            textEnd = textStart + length;
            at = textEnd;
            return true;
        }

        /** Whether the current value's attribute is this one. */
        boolean nameIs(String name) {
            return nameEnd - nameStart == name.length() && document.regionMatches(nameStart, name, 0, name.length());
        }

        String name() {
            return document.substring(nameStart, nameEnd);
        }

        String text() {
            return document.substring(textStart, textEnd);
        }

        private IllegalStateException malformed() {
            return new IllegalStateException("malformed object document at " + at + ": " + document);
        }
    }

    /** The values of a document as name → texts in position order. */
    static Map<String, List<String>> decode(String document) {
        Map<String, List<String>> values = new TreeMap<>();
        Cursor cursor = new Cursor(document);
        while (cursor.next()) {
            values.computeIfAbsent(cursor.name(), n -> new ArrayList<>(1)).add(cursor.text());
        }
        return values;
    }
}
