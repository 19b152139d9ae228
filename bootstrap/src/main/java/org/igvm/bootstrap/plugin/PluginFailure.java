package org.igvm.bootstrap.plugin;

import java.util.ServiceConfigurationError;

/** Why a plugin did not load, in one line an operator (or the plugin's author) can act on. */
final class PluginFailure {
    private PluginFailure() {}

    static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NoClassDefFoundError || t instanceof ClassNotFoundException) {
                return missingClass(
                        t.getMessage() == null ? "?" : t.getMessage().replace('/', '.'));
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String what = failure instanceof ServiceConfigurationError e ? stripService(e.getMessage()) : null;
        String cause = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        if (what == null || root == failure) {
            return what != null ? what : cause;
        }
        return what + ": " + cause;
    }

    private static String missingClass(String className) {
        if (className.startsWith("org.igvm.") && !PluginClassLoader.isSpiClass(className)) {
            return "it uses " + className + ", which is not part of igvm's SPI; a plugin sees only "
                    + String.join(", ", PluginClassLoader.SPI_PACKAGES)
                            .replace(".,", ",")
                            .replaceAll("\\.$", "")
                    + " and the JDK";
        }
        return "class " + className + " is missing; ship the jar that has it with the plugin (in a plugin folder)";
    }

    /** ServiceLoader's messages start with the service's name, which says nothing here. */
    private static String stripService(String message) {
        if (message == null) {
            return null;
        }
        int colon = message.indexOf(": ");
        return colon < 0 ? message : message.substring(colon + 2);
    }
}
