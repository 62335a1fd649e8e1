package dev.livestack.localcloud.parity;

import java.util.Objects;

/**
 * The outcome of one recorded interaction (one key of one recorded test).
 *
 * @param test the recorded test's id ({@code TestClass::test_name[param]})
 * @param key the recorded key
 * @param status identical, differs or skipped
 * @param detail for differs a short diff, for skipped the reason, else empty
 */
public record Interaction(String test, String key, Status status, String detail) {
    public Interaction {
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(status, "status");
        if (status != Status.IDENTICAL && (detail == null || detail.isBlank())) {
            throw new IllegalArgumentException("detail must say why for status " + status);
        }
        detail = detail == null ? "" : detail;
    }

    /** How a reproduced response compares with the recording. */
    public enum Status { IDENTICAL, DIFFERS, SKIPPED }
}
