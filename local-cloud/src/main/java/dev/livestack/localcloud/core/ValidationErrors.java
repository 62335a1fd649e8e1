package dev.livestack.localcloud.core;

import java.util.List;

/**
 * The message AWS's request validation gives, in its exact wording: {@code 1 validation error detected: <failure>}
 * or {@code N validation errors detected: <failure>; <failure>}, each failure shaped
 * {@code Value '<value>' at '<member>' failed to satisfy constraint: <constraint>}.
 */
public final class ValidationErrors {
    private ValidationErrors() {
    }

    /** The whole message for one failure. */
    public static String detected(String failure) {
        return detected(List.of(failure));
    }

    /** The whole message for one or more failures, in the order they were found. */
    public static String detected(List<String> failures) {
        if (failures == null || failures.isEmpty()) {
            throw new IllegalArgumentException("failures must not be empty");
        }
        int n = failures.size();
        return n + " validation error" + (n == 1 ? "" : "s") + " detected: " + String.join("; ", failures);
    }

    /** One failure of a member's value; a null value reads {@code Value null at ...}, as AWS writes it. */
    public static String failure(Object value, String member, String constraint) {
        return "Value " + (value == null ? "null" : "'" + value + "'") + " at '" + member
                + "' failed to satisfy constraint: " + constraint;
    }

    /** A required member that was not sent. */
    public static String notNull(String member) {
        return failure(null, member, "Member must not be null");
    }

    /** The one-failure message for a required member that was not sent. */
    public static String missing(String member) {
        return detected(notNull(member));
    }
}
