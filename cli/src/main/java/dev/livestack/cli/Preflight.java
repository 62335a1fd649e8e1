package dev.livestack.cli;

import dev.livestack.deployer.Deployer;
import dev.livestack.synth.CloudAssembly;
import dev.livestack.synth.StackTemplate;
import java.util.List;

/** What deploy, watch and diff check of an assembly before any stack is touched: bad input is found up front. */
final class Preflight {
    private Preflight() {
    }

    /**
     * The selected stacks of an assembly, once the {@code --parameters} values are known to fit them: a value for a
     * stack or parameter the app does not have is bad input.
     */
    static List<StackTemplate> stacks(Session session, CloudAssembly a) {
        List<StackTemplate> stacks = session.selected(a);
        ParametersOption.check(session.parameters(), a, stacks);
        return stacks;
    }

    /**
     * Assets the deployer cannot publish (an image asset without a docker engine, legacy synthesizer assets) are
     * refused, for every stack, before any stack is deployed: bad input (exit 2), never a half deploy.
     */
    static void assets(Deployer deployer, CloudAssembly a, List<StackTemplate> stacks) {
        for (StackTemplate stack : stacks) {
            deployer.cannotPublish(a, stack.stackName()).ifPresent(m -> {
                String[] lines = m.split("\n", 2);
                throw new UserError(lines[0], lines.length > 1 ? lines[1] : "");
            });
        }
    }
}
