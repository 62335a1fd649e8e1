package dev.livestack.deployer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * What a deploy would change in one nested stack ({@code NestedStack}) of a stack, as {@code cdk diff} shows nested
 * stacks' changes under their parent.
 *
 * @param path the nested stack's logical id in its parent, and the ids of the stacks between ({@code Inner…} or
 *        {@code Outer….Inner…})
 * @param template the nested stack's new template (from the cloud assembly)
 * @param diff its last applied (or deployed) template against {@code template}
 */
public record NestedDiff(String path, ObjectNode template, TemplateDiff diff) {
    public NestedDiff {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("path must not be blank");
        }
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(diff, "diff");
    }
}
