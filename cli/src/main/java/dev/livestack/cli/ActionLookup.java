package dev.livestack.cli;

import dev.livestack.logtail.Action;
import dev.livestack.logtail.ActionResolver;
import dev.livestack.logtail.UnknownActionException;
import java.util.List;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import java.util.stream.Collectors;

/** Resolves the action names a user typed to deployed functions, turning unknown names into exit-2 errors. */
final class ActionLookup {
    private ActionLookup() {
    }

    /** Which of the stacks do not exist, to name them (all of them when that cannot be told). */
    private static List<String> notDeployed(Session session, List<String> stacks) {
        List<String> missing = stacks.stream().filter(s -> {
            try {
                session.clients().cloudFormation().describeStacks(b -> b.stackName(s));
                return false;
            } catch (CloudFormationException e) {
                return true;
            }
        }).toList();
        return missing.isEmpty() ? stacks : missing;
    }

    static List<Action> resolve(Session session, List<String> names) {
        List<String> stacks = session.stackNames();
        ActionResolver resolver;
        try {
            resolver = ActionResolver.fromStacks(session.clients().cloudFormation(), stacks);
        } catch (CloudFormationException e) {
            if (e.statusCode() == 400 && String.valueOf(e.getMessage()).contains("does not exist")) {
                throw new UserError("The stack " + String.join(", ", notDeployed(session, stacks)) + " is not deployed"
                        + " (" + session.clients().target().description() + ").",
                        "Deploy it first (livestack deploy), or pick a deployed stack with --stack NAME.");
            }
            throw e;
        }
        if (names == null || names.isEmpty()) {
            return resolver.all();
        }
        try {
            return resolver.resolve(names);
        } catch (UnknownActionException e) {
            String unknown = String.join(", ", e.unknownNames());
            String hints = e.unknownNames().stream()
                    .map(n -> e.closestTo(n).isEmpty() ? null : n + " → " + String.join(", ", e.closestTo(n)))
                    .filter(s -> s != null)
                    .collect(Collectors.joining("; "));
            List<String> known = resolver.all().stream().map(Action::logicalId).sorted().toList();
            throw new UserError("Unknown action " + unknown + " in " + String.join(", ", stacks) + ".",
                    (hints.isEmpty() ? "" : "Closest: " + hints + ". ") + "Known: " + String.join(", ", known) + ".");
        }
    }
}
