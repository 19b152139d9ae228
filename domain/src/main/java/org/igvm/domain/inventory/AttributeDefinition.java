package org.igvm.domain.inventory;

/**
 * One known attribute of a servertype.
 *
 * @param name the attribute's name
 * @param type the type of each value
 * @param multiValued whether it holds a set of values (a {@code List})
 * @param relatedServertype for a relation, the servertype of the objects it names; else null
 */
public record AttributeDefinition(String name, AttributeType type, boolean multiValued, String relatedServertype) {
    static AttributeDefinition single(String name, AttributeType type) {
        return new AttributeDefinition(name, type, false, null);
    }

    static AttributeDefinition set(String name, AttributeType type) {
        return new AttributeDefinition(name, type, true, null);
    }

    static AttributeDefinition relation(String name, String servertype, boolean multiValued) {
        return new AttributeDefinition(name, AttributeType.RELATION, multiValued, servertype);
    }
}
