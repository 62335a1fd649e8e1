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
 */
public record CloudAssembly(Path directory, List<StackTemplate> stacks) {
    public CloudAssembly {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(stacks, "stacks");
        stacks = List.copyOf(stacks);
    }

    /** The stack with this name, if the assembly has it. */
    public Optional<StackTemplate> stack(String stackName) {
        return stacks.stream().filter(s -> s.stackName().equals(stackName)).findFirst();
    }
}
