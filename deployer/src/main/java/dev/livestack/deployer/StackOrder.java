package dev.livestack.deployer;

import dev.livestack.synth.StackTemplate;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The order stacks of one assembly deploy in. */
final class StackOrder {
    private StackOrder() {
    }

    /** Dependencies first; the assembly's order otherwise. */
    static List<StackTemplate> order(List<StackTemplate> stacks) {
        Map<String, StackTemplate> byName = new LinkedHashMap<>();
        stacks.forEach(s -> byName.put(s.stackName(), s));
        LinkedHashSet<String> done = new LinkedHashSet<>();
        Set<String> visiting = new HashSet<>();
        for (String n : byName.keySet()) {
            visit(n, byName, done, visiting);
        }
        return done.stream().map(byName::get).toList();
    }

    private static void visit(String n, Map<String, StackTemplate> byName, Set<String> done, Set<String> visiting) {
        if (done.contains(n) || !byName.containsKey(n)) {
            return;
        }
        if (!visiting.add(n)) {
            throw new IllegalArgumentException("stacks depend on each other in a cycle through " + n);
        }
        for (String d : byName.get(n).dependencies()) {
            visit(d, byName, done, visiting);
        }
        visiting.remove(n);
        done.add(n);
    }
}
