package dev.livestack.cli;

import dev.livestack.logtail.Action;
import dev.livestack.logtail.ActionResolver;
import dev.livestack.logtail.UnknownActionException;
import java.util.List;
import java.util.stream.Collectors;

/** Resolves the action names a user typed to deployed functions, turning unknown names into exit-2 errors. */
final class Actions {
    private Actions() {
    }

    static List<Action> resolve(Session session, List<String> names) {
        List<String> stacks = session.stackNames();
        ActionResolver resolver = ActionResolver.fromStacks(session.clients().cloudFormation(), stacks);
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
