package dev.livestack.synth;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A synthesised cloud assembly: the folder it was written to and its stacks in deployment
 * (dependency) order.
 *
 * @param directory the assembly folder ({@code cdk.out}), or the template's folder for a template file app
 * @param stacks the stacks, dependencies first
 * @param missing the context values the app asked for and did not get (the manifest's {@code missing}), in the
 *     manifest's order; the templates hold the constructs' dummy values for them until they are looked up
 */
public record CloudAssembly(Path directory, List<StackTemplate> stacks, List<MissingContext> missing) {
    public CloudAssembly {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(stacks, "stacks");
        stacks = List.copyOf(stacks);
        missing = missing == null ? List.of() : List.copyOf(missing);
    }

    /** An assembly that misses no context. */
    public CloudAssembly(Path directory, List<StackTemplate> stacks) {
        this(directory, stacks, List.of());
    }

    /** The stack with this name, if the assembly has it. */
    public Optional<StackTemplate> stack(String stackName) {
        return stacks.stream().filter(s -> s.stackName().equals(stackName)).findFirst();
    }
}
