package dev.livestack.cli;

import dev.livestack.deployer.ApprovalPolicy;
import dev.livestack.deployer.DeployResult;
import dev.livestack.deployer.Deployer;
import dev.livestack.logtail.Action;
import dev.livestack.synth.CloudAssembly;
import dev.livestack.synth.StackTemplate;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code livestack hotswap <action>…}: push these functions' code and configuration now, no change set. */
@Command(name = "hotswap", description = "Push these functions' code and configuration now (no change set).")
final class HotswapCommand implements Callable<Integer> {
    @ParentCommand
    LivestackCommand root;

    @Parameters(arity = "1..*", paramLabel = "<action>", description = "Functions: logical id, construct path, physical name, or a glob.")
    List<String> actions;

    @Override
    public Integer call() {
        try (Session session = new Session(root)) {
            List<Action> resolved = ActionLookup.resolve(session, actions);
            Map<String, Set<String>> byStack = new LinkedHashMap<>();
            for (Action a : resolved) {
                byStack.computeIfAbsent(a.stackName(), k -> new LinkedHashSet<>()).add(a.logicalId());
            }
            CloudAssembly assembly = session.synth(true);
            Deployer deployer = session.deployer(ApprovalPolicy.NEVER, s -> false, false);
            boolean ok = true;
            for (Map.Entry<String, Set<String>> e : byStack.entrySet()) {
                // a function of a NestedStack is swapped in the nested stack, with its template from the assembly
                StackTemplate stack = assembly.stack(e.getKey())
                        .or(() -> NestedStacks.of(session.clients().cloudFormation(), assembly, e.getKey()))
                        .orElseThrow(() -> new UserError(
                        "The stack " + e.getKey() + " is deployed but not in the app any more.",
                        "Deploy the app (livestack deploy) to bring the stack in line with it."));
                DeployResult r = deployer.hotswapAll(stack, e.getValue());
                ok &= r.ok();
            }
            return ok ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }
}
