package org.igvm.bootstrap;

import java.nio.charset.CharacterCodingException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * What is wrong with a YAML file, in one line: SnakeYAML's own message spans several lines and
 * starts with its context ("while constructing a mapping"), not with the problem.
 */
final class YamlProblem {
    private YamlProblem() {}

    /** E.g. {@code is not valid YAML: found duplicate key site (line 4, column 1)}. */
    static String describe(YAMLException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof CharacterCodingException) {
                return "is not UTF-8 text; save it as UTF-8";
            }
        }
        if (e instanceof MarkedYAMLException marked && marked.getProblem() != null) {
            Mark mark = marked.getProblemMark();
            String where =
                    mark == null ? "" : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")";
            return "is not valid YAML: " + marked.getProblem().strip() + where;
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return "is not valid YAML: " + message.lines().findFirst().orElse("").strip();
    }
}
