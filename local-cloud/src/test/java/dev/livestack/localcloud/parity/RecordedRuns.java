package dev.livestack.localcloud.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * One service's parity ledger: runs scenarios written from LocalStack's recorded tests, compares each recorded
 * interaction (one key of a test's {@code recorded-content}) with what local-cloud answered, and writes the tally
 * to {@code target/parity/<service>.json} for {@code bench/parity.sh}. Recorded snapshot files are read from the
 * test resources under {@code parity/localstack/}.
 */
final class RecordedRuns {
    /** One interaction's outcome. */
    record Outcome(String file, String test, String key, boolean identical, List<String> differences) {
        Outcome {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("key must not be blank");
            }
            differences = List.copyOf(differences);
        }
    }

    /** A recorded test (or some of its keys, when {@code keys} is not empty) left out, and why. */
    record Skip(String file, String test, List<String> keys, String reason) {
        Skip {
            keys = List.copyOf(keys);
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("reason must not be blank");
            }
        }
    }

    /** What a scenario does, given the case that records its answers. */
    interface Scenario {
        void run(Case c) throws Exception;
    }

    private final String service;
    private final List<Outcome> outcomes = new ArrayList<>();
    private final List<Skip> skips = new ArrayList<>();
    private final Map<String, JsonNode> files = new LinkedHashMap<>();

    /** How these services are compared, for the report page. */
    static final String METHOD = "Compared by `RecordedRuns` / `PlaceholderMatch` (next to the shared framework): the "
            + "recording is read as a pattern rather than transforming the live answer. A numbered placeholder "
            + "(`<stack-name:1>`) binds to the live text once and must mean the same text everywhere in that test, and "
            + "two numbers of one name must be two texts; `<partition>`/`<region>` are aws/us-east-1, account "
            + "111111111111 is 000000000000, `datetime`/`timestamp` stand for any time, a name AWS generated with a "
            + "random suffix matches a live name of the same prefix and length, and a JSON document held in a string "
            + "is compared as the document. Everything else must be identical: same keys (none missing, none extra), "
            + "values, list lengths and order. Steps a recorded test itself took (sorting, a regex on its own names) "
            + "are taken in its scenario.";
    private static final Map<String, RecordedRuns> LEDGERS = new LinkedHashMap<>();

    RecordedRuns(String service) {
        this.service = service;
    }

    /** The ledger of {@code service}, shared by every parity class of it in this JVM. */
    static synchronized RecordedRuns of(String service) {
        return LEDGERS.computeIfAbsent(service, RecordedRuns::new);
    }

    /** A snapshot file's recorded tests; {@code file} is the path below tests/aws/services/. */
    JsonNode file(String file) {
        return files.computeIfAbsent(file, f -> {
            try (InputStream in = RecordedRuns.class.getResourceAsStream("/parity/localstack/tests/aws/services/" + f)) {
                if (in == null) {
                    throw new IllegalStateException("no snapshot file " + f + " in the test resources");
                }
                return BotoShape.JSON.readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    JsonNode recorded(String file, String test) {
        for (var e : (Iterable<Map.Entry<String, JsonNode>>) () -> file(file).fields()) {
            if (e.getKey().endsWith("::" + test)) {
                return e.getValue().path("recorded-content");
            }
        }
        throw new IllegalStateException("no recorded test " + test + " in " + file);
    }

    /** Runs one scenario and tallies every interaction its recording holds. */
    synchronized void run(String file, String test, Scenario scenario) {
        JsonNode recorded = recorded(file, test);
        Case c = new Case(recorded);
        String failure = null;
        try {
            scenario.run(c);
        } catch (Exception | AssertionError e) {
            failure = "scenario stopped: " + e;
        }
        for (var e : (Iterable<Map.Entry<String, JsonNode>>) recorded::fields) {
            String key = e.getKey();
            if (skipped(file, test).contains(key)) {
                continue;
            }
            List<String> diffs = c.differences.get(key);
            if (diffs == null) {
                outcomes.add(new Outcome(file, test, key, false, List.of(failure != null ? failure : "not produced")));
            } else {
                outcomes.add(new Outcome(file, test, key, diffs.isEmpty(), diffs));
            }
        }
    }

    synchronized void skip(String file, String test, String reason) {
        List<String> all = new java.util.ArrayList<>();
        recorded(file, test).fieldNames().forEachRemaining(all::add);
        skips.add(new Skip(file, test, all, reason));
    }

    /** Leaves some keys of a recorded test out (the others are run), with the reason the report shows. */
    synchronized void skipKeys(String file, String test, String reason, String... keys) {
        for (String k : keys) {
            if (!recorded(file, test).has(k)) {
                throw new IllegalStateException("no recorded interaction " + k + " in " + test);
            }
        }
        skips.add(new Skip(file, test, List.of(keys), reason));
    }

    private java.util.Set<String> skipped(String file, String test) {
        java.util.Set<String> out = new java.util.HashSet<>();
        skips.stream().filter(s -> s.file().equals(file) && s.test().equals(test)).forEach(s -> out.addAll(s.keys()));
        return out;
    }

    synchronized int attempted() {
        return outcomes.size();
    }

    synchronized long identical() {
        return outcomes.stream().filter(Outcome::identical).count();
    }

    /**
     * Writes the tally in the shared framework's result format ({@code target/parity/<service>.json}, read by
     * {@code bench/parity_report.py}) and returns a one-line summary.
     */
    synchronized String write() throws IOException {
        ObjectNode out = BotoShape.NODES.objectNode();
        long identical = identical();
        int skipped = skips.stream().mapToInt(s -> s.keys().size()).sum();
        out.put("service", service);
        out.put("attempted", attempted());
        out.put("identical", identical);
        out.put("differs", attempted() - identical);
        out.put("skipped", skipped);
        out.put("identicalShare", attempted() == 0 ? 0 : Math.round(10000.0 * identical / attempted()) / 10000.0);
        out.put("method", METHOD);
        ArrayNode list = out.putArray("interactions");
        for (Outcome o : outcomes) {
            ObjectNode d = list.addObject();
            d.put("test", nodeId(o.file(), o.test()));
            d.put("key", o.key());
            d.put("status", o.identical() ? "identical" : "differs");
            if (!o.identical()) {
                String detail = String.join("; ", o.differences().stream().limit(4).toList());
                d.put("detail", detail.length() > 400 ? detail.substring(0, 400) + "…" : detail);
            }
        }
        for (Skip s : skips) {
            for (String key : s.keys()) {
                ObjectNode d = list.addObject();
                d.put("test", nodeId(s.file(), s.test()));
                d.put("key", key);
                d.put("status", "skipped");
                d.put("detail", s.reason());
            }
        }
        Path dir = ParityReport.defaultDir();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(service + ".json"), BotoShape.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out) + "\n");
        return service + ": " + identical + " / " + attempted() + " identical";
    }

    /** Writes the tally, then fails when the identical share of everything run so far is below {@code floor}. */
    synchronized void writeAndCheck(double floor) throws IOException {
        String summary = write();
        double share = attempted() == 0 ? 0 : (double) identical() / attempted();
        org.junit.jupiter.api.Assertions.assertTrue(share >= floor, summary + ", below the floor of " + floor);
    }

    /** The recording's own key of a test (its pytest node id, with the test class when there is one). */
    private String nodeId(String file, String test) {
        for (var it = file(file).fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (key.endsWith("::" + test)) {
                return key;
            }
        }
        return "tests/aws/services/" + file.replace(".snapshot.json", ".py") + "::" + test;
    }

    /** One recorded test being replayed. */
    static final class Case {
        private final JsonNode recorded;
        private final Map<String, List<String>> differences = new LinkedHashMap<>();
        private final PlaceholderMatch matcher = new PlaceholderMatch();

        Case(JsonNode recorded) {
            this.recorded = recorded;
        }

        /** Compares {@code live} (a response, an SDK error, a JSON value or a plain value) under {@code key}. */
        void match(String key, Object live) {
            JsonNode expected = recorded.get(key);
            if (expected == null) {
                throw new IllegalStateException("no recorded interaction " + key);
            }
            JsonNode actual = live instanceof AwsResponse r ? BotoShape.response(r)
                    : live instanceof AwsServiceException e ? BotoShape.error(e) : BotoShape.value(live);
            int before = matcher.differences().size();
            matcher.match(key, expected, actual == null ? BotoShape.NODES.nullNode() : actual);
            differences.put(key, List.copyOf(matcher.differences().subList(before, matcher.differences().size())));
        }

        /** The error {@code call} raises, or an assertion error when it succeeds. */
        AwsServiceException error(ThrowingCall call) {
            try {
                call.run();
            } catch (AwsServiceException e) {
                return e;
            } catch (Exception e) {
                throw new AssertionError("expected an AWS error, got " + e, e);
            }
            throw new AssertionError("expected an AWS error, the call succeeded");
        }

        /** Runs a call expected to fail (a deployment that rolls back), whatever the failure. */
        void fails(ThrowingCall call) {
            try {
                call.run();
            } catch (Exception expected) {
                return;
            }
            throw new AssertionError("expected the call to fail, it succeeded");
        }

        /** The recorded value itself, for scenarios that need a recorded input. */
        JsonNode recorded(String key) {
            return recorded.get(key);
        }
    }

    interface ThrowingCall {
        void run() throws Exception;
    }
}
