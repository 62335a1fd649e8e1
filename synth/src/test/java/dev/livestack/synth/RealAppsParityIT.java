package dev.livestack.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fast subset of bench/real-apps.sh: public apps of the real-apps/ corpus, synthesised by the warm
 * synthesizer and by {@code cdk synth} (the CDK CLI pinned in tools/), must give the same templates once
 * {@code aws:cdk:path} and {@code aws:asset:*} metadata are dropped (as bench/real_apps_compare.py does).
 */
class RealAppsParityIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path CDK = ROOT.resolve("tools/node_modules/.bin/cdk");

    @TempDir
    Path work;

    @ParameterizedTest
    // not http-proxy-apigateway: it creates its API resources in Map.of order, which differs from one JVM start to the
    // next, so its API Gateway Deployment id differs between two `cdk synth` runs as well (docs/real-apps.md)
    // one app keeps mvn verify short; bench/real-apps.sh compares the whole corpus
    @ValueSource(strings = {"eventbridge-lambda"})
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void livestackSynthEqualsCdkSynth(String name) throws Exception {
        assertTrue(Files.isExecutable(CDK), "the CDK CLI is missing at " + CDK + " (npm ci in tools/)");
        Path ours = copy(ROOT.resolve("real-apps").resolve(name), work.resolve("livestack"));
        Path theirs = copy(ROOT.resolve("real-apps").resolve(name), work.resolve("cdk"));
        Map<String, String> env = new HashMap<>(Fixtures.childEnvironment());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("CDK_DISABLE_VERSION_CHECK", "1");
        env.putAll(ChildEnvironment.JSII_SILENCERS);

        // the warm synthesizer, the one a Maven app gets
        assertTrue(Synthesizers.isMavenJavaApp(ours, CdkProject.read(ours)));
        CloudAssembly assembly;
        // a loaded machine can take minutes for a cold start; the test bounds itself with @Timeout
        SynthOptions o = SynthOptions.of(ours).withEnvironment(env).withTarget("us-east-1", null)
                .withSynthTimeout(java.time.Duration.ofMinutes(8));
        try (Synthesizer s = Synthesizers.forApp(o)) {
            assembly = s.synth();
        }
        Path cdkOut = work.resolve("cdk.out");
        ProcessBuilder pb = new ProcessBuilder(CDK.toString(), "synth", "--quiet", "--output", cdkOut.toString())
                .directory(theirs.toFile()).redirectErrorStream(true).redirectOutput(work.resolve("cdk.log").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(8, TimeUnit.MINUTES), "cdk synth did not finish");
        assertEquals(0, p.exitValue(), () -> "cdk synth failed: " + read(work.resolve("cdk.log")));

        Map<String, JsonNode> mine = templates(assembly.directory());
        Map<String, JsonNode> cli = templates(cdkOut);
        assertEquals(cli.keySet(), mine.keySet());
        assertTrue(!cli.isEmpty());
        for (String f : cli.keySet()) {
            assertEquals(cli.get(f).toPrettyString(), mine.get(f).toPrettyString(), name + ": " + f);
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Every template of the assembly (nested stacks' too), by path, without path and asset metadata. */
    private static Map<String, JsonNode> templates(Path dir) throws IOException {
        Map<String, JsonNode> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(x -> x.getFileName().toString().endsWith(".template.json")).toList()) {
                JsonNode t = Templates.JSON.readTree(f.toFile());
                t.path("Resources").forEach(r -> {
                    if (r.path("Metadata") instanceof ObjectNode md) {
                        List<String> drop = new ArrayList<>();
                        md.fieldNames().forEachRemaining(k -> {
                            if (k.equals("aws:cdk:path") || k.startsWith("aws:asset:")) {
                                drop.add(k);
                            }
                        });
                        md.remove(drop);
                        if (md.isEmpty()) {
                            ((ObjectNode) r).remove("Metadata");
                        }
                    }
                });
                out.put(dir.relativize(f).toString(), t);
            }
        }
        return out;
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String rel = from.relativize(p).toString();
                if (rel.startsWith("target") || rel.startsWith("cdk.out") || rel.startsWith(".livestack") || rel.contains("/target")) {
                    continue;
                }
                Path t = to.resolve(rel);
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return to;
    }
}
