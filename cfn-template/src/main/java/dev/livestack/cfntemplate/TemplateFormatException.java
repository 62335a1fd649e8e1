package dev.livestack.cfntemplate;

import java.util.Objects;

/**
 * A template body that is not well-formed; the message is worded as CloudFormation words it (local-cloud returns it to
 * AWS clients verbatim), while {@link #kind()}, {@link #line()} and {@link #problem()} let a local tool point at the spot
 * in its own words.
 */
public final class TemplateFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the body was refused. */
    public enum Kind {
        /** The JSON or YAML syntax is broken. */
        NOT_WELL_FORMED,
        /** Well-formed, but the top level is not an object (a list, a scalar, an empty body). */
        NOT_AN_OBJECT,
        /** Well-formed YAML using a form CloudFormation refuses (an alias, {@code !GetAtt} without a dot). */
        INVALID
    }

    private final Kind kind;
    private final int line;
    private final int column;
    private final String problem;

    /**
     * @param message CloudFormation's wording, e.g. {@code Template format error: JSON not well-formed. (line 1, column 2)}
     * @param kind why the body was refused
     * @param line 1-based line of the problem, 0 when unknown
     * @param column 1-based column of the problem, 0 when unknown
     * @param problem the parser's own short description, e.g. {@code expected ',' or ']', but got <stream end>}
     */
    public TemplateFormatException(String message, Kind kind, int line, int column, String problem) {
        super(Objects.requireNonNull(message, "message"));
        this.kind = Objects.requireNonNull(kind, "kind");
        if (line < 0) {
            throw new IllegalArgumentException("line must be >= 0, got " + line);
        }
        if (column < 0) {
            throw new IllegalArgumentException("column must be >= 0, got " + column);
        }
        this.line = line;
        this.column = column;
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    public Kind kind() {
        return kind;
    }

    /** 1-based; 0 when the parser gave no position. */
    public int line() {
        return line;
    }

    /** 1-based; 0 when the parser gave no position. */
    public int column() {
        return column;
    }

    /** The parser's description of the problem, without CloudFormation's framing. */
    public String problem() {
        return problem;
    }
}
