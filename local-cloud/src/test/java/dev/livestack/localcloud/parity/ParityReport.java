package dev.livestack.localcloud.parity;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The parity results of one service: runs recorded tests' scenarios, keeps each interaction's outcome, writes
 * {@code target/parity/<service>.json} and checks the share of identical interactions against a floor.
 */
public final class ParityReport {
    private final String service;
    private final String account;
    private final String region;
    private final List<Transform> serviceSteps;
    private final List<Interaction> results = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    /**
     * @param service the name botocore's data folder gives the service (lambda, cloudformation, logs, sts, ssm)
     * @param account the account local-cloud answers as (replaced by 111111111111, as in the recordings)
     * @param region the region the clients use (replaced by {@code <region>})
     * @param serviceSteps steps every recorded test of this service added first (e.g. {@link Transform#lambdaApi()})
     */
    public ParityReport(String service, String account, String region, List<Transform> serviceSteps) {
        this.service = Objects.requireNonNull(service, "service");
        this.account = Objects.requireNonNull(account, "account");
        this.region = Objects.requireNonNull(region, "region");
        this.serviceSteps = List.copyOf(Objects.requireNonNull(serviceSteps, "serviceSteps"));
    }

    /**
     * Reproduces recorded test {@code testId} of {@code file}: {@code scenario} makes the calls and records them;
     * an exception it throws ends the scenario and leaves the keys it did not reach as differences.
     */
    public synchronized void run(Snapshots file, String testId, Consumer<ParityRun> scenario) {
        ParityRun run = new ParityRun(service, file.nodeId(testId), file.recorded(testId));
        run.transform(Transform.removeKey("x-localstack"));
        run.transforms(serviceSteps, 0);
        run.transforms(Transform.accountRegionPartition(account, region), ParityRun.SESSION);
        run.transforms(Transform.basic(), ParityRun.SESSION);
        Throwable failure = null;
        try {
            scenario.accept(run);
        } catch (RuntimeException | AssertionError e) {
            failure = e;
        }
        results.addAll(run.finish(failure));
        run.problems().forEach(p -> problems.add(file.nodeId(testId) + ": " + p));
    }

    /** Leaves every key of a recorded test out, with the reason the report shows. */
    public synchronized void skip(Snapshots file, String testId, String reason) {
        String nodeId = file.nodeId(testId);
        file.recorded(testId).fieldNames().forEachRemaining(
                key -> results.add(new Interaction(nodeId, key, Interaction.Status.SKIPPED, reason)));
    }

    /**
     * Skips every recorded test of {@code file} that no scenario ran or skipped yet, with the reason {@code reason}
     * gives for its id, so the report accounts for the whole file.
     */
    public synchronized void skipRemaining(Snapshots file, java.util.function.Function<String, String> reason) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        results.forEach(i -> seen.add(i.test()));
        String prefix = file.path().replace(".snapshot.json", ".py") + "::";
        for (String nodeId : file.tests().keySet()) {
            if (!seen.contains(nodeId) && !file.tests().get(nodeId).isEmpty()) {
                String testId = nodeId.substring(prefix.length());
                skip(file, testId, reason.apply(testId));
            }
        }
    }

    public synchronized List<Interaction> results() {
        return List.copyOf(results);
    }

    public synchronized long count(Interaction.Status status) {
        return results.stream().filter(i -> i.status() == status).count();
    }

    /** Identical over attempted (identical + differs); 0 when nothing was attempted. */
    public synchronized double identicalShare() {
        long attempted = attempted();
        return attempted == 0 ? 0 : (double) count(Interaction.Status.IDENTICAL) / attempted;
    }

    public synchronized long attempted() {
        return count(Interaction.Status.IDENTICAL) + count(Interaction.Status.DIFFERS);
    }

    /** Scenario mistakes: keys recorded that the recording lacks, keys matched twice. */
    public synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    /** Writes {@code <dir>/<service>.json}; {@code dir} is usually {@link #defaultDir()}. */
    public synchronized Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("service", service);
        root.put("attempted", attempted());
        root.put("identical", count(Interaction.Status.IDENTICAL));
        root.put("differs", count(Interaction.Status.DIFFERS));
        root.put("skipped", count(Interaction.Status.SKIPPED));
        root.put("identicalShare", Math.round(identicalShare() * 10000) / 10000.0);
        ArrayNode list = root.putArray("interactions");
        for (Interaction i : results) {
            ObjectNode o = list.addObject();
            o.put("test", i.test());
            o.put("key", i.key());
            o.put("status", i.status().name().toLowerCase());
            if (!i.detail().isEmpty()) {
                o.put("detail", i.detail());
            }
        }
        Path file = dir.resolve(service + ".json");
        Files.writeString(file, Botocore.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n");
        return file;
    }

    /**
     * Writes the result file to {@link #defaultDir()}, then fails if a scenario made a mistake or the identical share
     * fell below {@code floor} (set it from what the suite reaches, so a regression fails {@code mvn verify}).
     */
    public synchronized void writeAndCheck(double floor) throws IOException {
        Path file = write(defaultDir());
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), problems(), "scenario mistakes");
        org.junit.jupiter.api.Assertions.assertTrue(identicalShare() >= floor, String.format(
                "%s parity fell to %d/%d identical (%.1f %%), below the floor of %.1f %%; see %s",
                service, count(Interaction.Status.IDENTICAL), attempted(), 100 * identicalShare(), 100 * floor, file));
    }

    /** {@code target/parity} of the module the tests run in (or the {@code parity.dir} system property). */
    public static Path defaultDir() {
        return Path.of(System.getProperty("parity.dir", "target/parity"));
    }
}
