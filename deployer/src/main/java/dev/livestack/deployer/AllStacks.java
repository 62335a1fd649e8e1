package dev.livestack.deployer;

import dev.livestack.synth.CloudAssembly;
import dev.livestack.synth.StackTemplate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link Deployer#deployAll}: every stack in dependency order; none when an asset of any cannot be published. */
final class AllStacks {
    private AllStacks() {
    }

    static List<DeployResult> deploy(DefaultDeployer deployer, CloudAssembly assembly, DeployMode mode) {
        List<StackTemplate> ordered = StackOrder.order(assembly.stacks());
        Map<String, DeployResult> results = new LinkedHashMap<>();
        // an asset that cannot be published stops the run before its first stack, never half-way through
        for (StackTemplate s : ordered) {
            Optional<String> refused = deployer.cannotPublish(assembly, s.stackName());
            if (refused.isPresent()) {
                for (StackTemplate any : ordered) {
                    long t0 = System.nanoTime();
                    results.put(any.stackName(), deployer.results().finish(deployer.results().failure(any.stackName(), any == s ? refused.get()
                            : "Stack " + any.stackName() + " was not deployed: the assets of " + s.stackName()
                            + " cannot be published.\nFix that first (see the error for " + s.stackName() + ").", null, List.of(), t0)));
                }
                return List.copyOf(results.values());
            }
        }
        for (StackTemplate s : ordered) {
            Optional<String> failedDep = s.dependencies().stream()
                    .filter(d -> results.containsKey(d) && !results.get(d).ok() && results.get(d).status() != DeployResult.Status.PARTIAL)
                    .findFirst();
            if (failedDep.isPresent()) {
                long t0 = System.nanoTime();
                results.put(s.stackName(), deployer.results().failure(s.stackName(), "Stack " + s.stackName() + " was not deployed: its dependency "
                        + failedDep.get() + " did not deploy.\nFix " + failedDep.get() + " first.", null, List.of(), t0));
                continue;
            }
            results.put(s.stackName(), deployer.deploy(assembly, s, mode));
        }
        return List.copyOf(results.values());
    }
}
