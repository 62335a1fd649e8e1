package dev.livestack.logtail;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/** Name matching over a known list of actions. */
final class ActionIndex implements ActionResolver {
    private static final int MAX_SUGGESTIONS = 5;

    private final List<Action> actions;

    ActionIndex(List<Action> actions) {
        Objects.requireNonNull(actions, "actions");
        this.actions = List.copyOf(actions);
    }

    @Override
    public List<Action> all() {
        return actions;
    }

    @Override
    public List<Action> resolve(List<String> names) throws UnknownActionException {
        Objects.requireNonNull(names, "names");
        Set<Action> found = new LinkedHashSet<>();
        Map<String, List<String>> unknown = new LinkedHashMap<>();
        for (String raw : names) {
            if (raw == null || raw.isBlank()) {
                throw new IllegalArgumentException("names must not contain blank names");
            }
            String name = raw.strip();
            List<Action> hits = match(name);
            if (hits.isEmpty()) {
                unknown.put(name, closest(name));
            } else {
                found.addAll(hits);
            }
        }
        if (!unknown.isEmpty()) {
            throw new UnknownActionException(unknown);
        }
        return List.copyOf(found);
    }

    private List<Action> match(String name) {
        if (isGlob(name)) {
            Pattern glob = globToRegex(name);
            return actions.stream().filter(a -> names(a).stream().anyMatch(n -> glob.matcher(n).matches())).toList();
        }
        // Exact first: "Worker" must not also pick "worker" of another stack when an exact one exists.
        List<Action> exact = actions.stream().filter(a -> names(a).contains(name)).toList();
        if (!exact.isEmpty()) {
            return exact;
        }
        return actions.stream()
                .filter(a -> names(a).stream().anyMatch(n -> n.equalsIgnoreCase(name)))
                .toList();
    }

    /** Every name a person may use for an action. */
    static List<String> names(Action a) {
        List<String> names = new ArrayList<>();
        names.add(a.logicalId());
        names.add(a.stackName() + "/" + a.logicalId());
        names.add(a.physicalName());
        names.add(a.logGroup());
        if (a.constructPath() != null) {
            names.add(a.constructPath());
            names.add(a.constructPath() + "/Resource");
            // Every tail of the path: "Orders/Worker" and "Worker" are how people name a construct they
            // wrote; a tail shared by several constructs names them all.
            String path = a.constructPath();
            for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
                if (slash + 1 < path.length()) {
                    names.add(path.substring(slash + 1));
                }
            }
        }
        return names;
    }

    private List<String> closest(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        record Scored(String display, int distance) { }
        Map<String, Integer> best = new LinkedHashMap<>();
        for (Action a : actions) {
            int d = Integer.MAX_VALUE;
            for (String candidate : candidates(a)) {
                d = Math.min(d, distance(wanted, candidate.toLowerCase(Locale.ROOT)));
            }
            best.merge(display(a), d, Math::min);
        }
        List<Scored> scored = best.entrySet().stream().map(e -> new Scored(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingInt(Scored::distance).thenComparing(Scored::display)).toList();
        int threshold = Math.max(2, wanted.length() / 3);
        List<String> near = scored.stream().filter(s -> s.distance() <= threshold).limit(MAX_SUGGESTIONS)
                .map(Scored::display).toList();
        // Nothing close: still show a few names, so the person sees what exists.
        return near.isEmpty() ? scored.stream().limit(3).map(Scored::display).toList() : near;
    }

    private static List<String> candidates(Action a) {
        List<String> c = new ArrayList<>(List.of(a.logicalId(), a.physicalName(), a.label()));
        if (a.constructPath() != null) {
            c.add(a.constructPath());
        }
        return c;
    }

    private static String display(Action a) {
        return a.constructPath() != null ? a.constructPath() : a.stackName() + "/" + a.logicalId();
    }

    static boolean isGlob(String name) {
        return name.indexOf('*') >= 0 || name.indexOf('?') >= 0;
    }

    static Pattern globToRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    }

    /** Levenshtein distance, two rows. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
