package dev.livestack.deployer;

import java.util.Objects;

/**
 * A stack parameter whose value a deploy would change (what {@code diff} shows). Values of {@code NoEcho} parameters
 * and of parameters with secret-looking names are masked.
 *
 * @param name the parameter's name
 * @param before the deployed value, or {@code null} when the stack does not have the parameter yet
 * @param after the value the deploy passes, or {@code null} when it has none (no value given, no previous value, no
 *        Default: CloudFormation would refuse the deploy)
 */
public record ParameterChange(String name, String before, String after) {
    public ParameterChange {
        Objects.requireNonNull(name, "name");
        if (before == null && after == null) {
            throw new IllegalArgumentException("before and after must not both be null (parameter " + name + ")");
        }
    }

    /** One line for people: {@code Stage: dev -> prod}. */
    public String render() {
        if (after == null) {
            return "[!] Parameter " + name + ": no value (Parameters: [" + name + "] must have values)";
        }
        return before == null ? "[+] Parameter " + name + ": " + after : "[~] Parameter " + name + ": " + before + " -> " + after;
    }
}
