package org.igvm.domain.inventory;

/** The kind of value an inventory attribute holds. */
public enum AttributeType {
    STRING("string"),
    INTEGER("integer"),
    BOOLEAN("boolean"),
    /** An IPv4 or IPv6 address. */
    IP("ip address"),
    /** An IPv4 or IPv6 network in CIDR notation (a bare address is a /32 or /128). */
    NETWORK("ip network"),
    /** The hostname of another inventory object. */
    RELATION("relation (hostname)"),
    /** A UTC timestamp as {@code yyyy-MM-dd HH:mm:ssZ}, e.g. {@code 2024-05-01 12:00:00+0000}. */
    DATETIME("datetime (yyyy-MM-dd HH:mm:ss+0000)");

    private final String description;

    AttributeType(String description) {
        this.description = description;
    }

    /** How the type is named in error messages. */
    public String description() {
        return description;
    }
}
