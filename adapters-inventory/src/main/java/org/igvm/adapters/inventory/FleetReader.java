package org.igvm.adapters.inventory;

import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.igvm.api.InvalidInputException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads a fleet file's {@code objects:} list one object at a time from SnakeYAML's event stream, so
 * a file of any size needs memory for one object only (no document-size limit). Scalars resolve
 * as in {@link FleetFile}'s loader (YAML 1.1 without timestamps); anchors and aliases work within
 * the file; a key given twice in one mapping is an error.
 */
final class FleetReader implements Iterator<Map<String, Object>> {
    private final Parser parser;
    private final Resolver resolver;
    private final ScalarConstructor constructor = new ScalarConstructor();
    private final Map<String, Object> anchors = new HashMap<>();
    private Map<String, Object> next;
    private boolean inObjects;
    private boolean finished;
    private int count;

    FleetReader(Reader yaml, Resolver resolver) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Integer.MAX_VALUE);
        this.parser = new ParserImpl(new StreamReader(yaml), options);
        this.resolver = resolver;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !finished) {
            try {
                next = advance();
            } catch (YAMLException e) {
                throw new InvalidInputException(
                        "fleet file is not valid YAML: "
                                + String.valueOf(e.getMessage()).replace('\n', ' '),
                        e);
            }
            if (next == null) {
                finished = true;
            }
        }
        return next != null;
    }

    @Override
    public Map<String, Object> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Map<String, Object> out = next;
        next = null;
        return out;
    }

    /** Objects read so far. */
    int count() {
        return count;
    }

    private Map<String, Object> advance() {
        if (!inObjects) {
            if (!seekObjects()) {
                throw new InvalidInputException("fleet file needs a top-level 'objects:' list of attribute maps");
            }
            inObjects = true;
        }
        Event event = parser.getEvent();
        if (event.is(Event.ID.SequenceEnd)) {
            finish();
            return null;
        }
        Object entry = value(event);
        if (!(entry instanceof Map<?, ?> map)) {
            throw new InvalidInputException("fleet file entry " + (count + 1) + " (line "
                    + (event.getStartMark().getLine() + 1) + ") is not an attribute map: " + entry);
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        map.forEach((k, v) -> attributes.put(String.valueOf(k), v));
        count++;
        return attributes;
    }

    /** Moves to the first entry of the top-level objects list; false when there is none. */
    private boolean seekObjects() {
        expect(Event.ID.StreamStart);
        if (parser.checkEvent(Event.ID.StreamEnd)) {
            return false;
        }
        expect(Event.ID.DocumentStart);
        Event top = parser.getEvent();
        if (!top.is(Event.ID.MappingStart)) {
            return false;
        }
        while (!parser.checkEvent(Event.ID.MappingEnd)) {
            Object key = value(parser.getEvent());
            if ("objects".equals(key)) {
                Event list = parser.getEvent();
                if (list.is(Event.ID.SequenceStart)) {
                    return true;
                }
                value(list); // not a list
                return false;
            }
            value(parser.getEvent()); // another top-level key: skipped
        }
        return false;
    }

    /** After the objects list: the rest of the top-level mapping, then the end of the only document. */
    private void finish() {
        while (!parser.checkEvent(Event.ID.MappingEnd)) {
            value(parser.getEvent());
            value(parser.getEvent());
        }
        parser.getEvent();
        expect(Event.ID.DocumentEnd);
        if (!parser.checkEvent(Event.ID.StreamEnd)) {
            throw new InvalidInputException("fleet file holds more than one YAML document; put every object"
                    + " into the one top-level 'objects:' list");
        }
    }

    private void expect(Event.ID id) {
        Event event = parser.getEvent();
        if (!event.is(id)) {
            throw new YAMLException("expected " + id + " at line "
                    + (event.getStartMark().getLine() + 1) + ", found " + event.getEventId());
        }
    }

    /** The value that starts with this event (a scalar, a list, a map or an alias). */
    private Object value(Event event) {
        if (event instanceof AliasEvent alias) {
            if (!anchors.containsKey(alias.getAnchor())) {
                throw new YAMLException("found undefined alias *" + alias.getAnchor() + " at line "
                        + (event.getStartMark().getLine() + 1));
            }
            return anchors.get(alias.getAnchor());
        }
        Object value;
        if (event instanceof ScalarEvent scalar) {
            value = scalar(scalar);
        } else if (event instanceof SequenceStartEvent) {
            List<Object> list = new ArrayList<>();
            while (!parser.checkEvent(Event.ID.SequenceEnd)) {
                list.add(value(parser.getEvent()));
            }
            parser.getEvent();
            value = list;
        } else if (event instanceof MappingStartEvent) {
            Map<Object, Object> map = new LinkedHashMap<>();
            while (!parser.checkEvent(Event.ID.MappingEnd)) {
                Event keyEvent = parser.getEvent();
                Object key = value(keyEvent);
                Object item = value(parser.getEvent());
                if (map.containsKey(key)) {
                    throw new InvalidInputException("fleet file has the key '" + key + "' twice in one mapping (line "
                            + (keyEvent.getStartMark().getLine() + 1) + "); give each attribute once");
                }
                map.put(key, item);
            }
            parser.getEvent();
            value = map;
        } else {
            throw new YAMLException("unexpected " + event.getEventId() + " at line "
                    + (event.getStartMark().getLine() + 1));
        }
        if (event instanceof NodeEvent node && node.getAnchor() != null) {
            anchors.put(node.getAnchor(), value);
        }
        return value;
    }

    private Object scalar(ScalarEvent event) {
        Tag tag;
        if (event.getTag() == null || event.getTag().equals("!")) {
            tag = event.getImplicit().canOmitTagInPlainScalar()
                    ? resolver.resolve(NodeId.scalar, event.getValue(), true)
                    : Tag.STR;
        } else {
            tag = new Tag(event.getTag());
        }
        if (tag.equals(Tag.STR)) {
            return event.getValue();
        }
        if (tag.equals(Tag.INT) && isPlainDecimal(event.getValue())) {
            return Long.parseLong(event.getValue());
        }
        return constructor.scalar(new ScalarNode(
                tag, event.getValue(), event.getStartMark(), event.getEndMark(), event.getScalarStyle()));
    }

    private static boolean isPlainDecimal(String text) {
        int length = text.length();
        if (length == 0 || length > 18) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9' || (i == 0 && c == '0' && length > 1)) {
                return false;
            }
        }
        return true;
    }

    /** SafeConstructor's scalar rules (ints, floats, booleans, null) applied to one node. */
    private static final class ScalarConstructor extends SafeConstructor {
        ScalarConstructor() {
            super(new LoaderOptions());
        }

        Object scalar(ScalarNode node) {
            // Not constructObject: that remembers every node it built, and a fleet has millions.
            return getConstructor(node).construct(node);
        }
    }
}
