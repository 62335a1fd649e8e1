package dev.livestack.synth;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The environment of app processes: the caller's explicit environment plus what the CDK CLI sets. */
final class ChildEnvironment {
    /**
     * jsii prints a multi-line banner on every start under an end-of-life, deprecated or untested
     * node. Any value silences the deprecated and untested ones; the end-of-life one only when its
     * value lists the running node's major version, so it lists them all.
     */
    static final Map<String, String> JSII_SILENCERS = Map.of(
            "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1",
            "JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION", "1",
            "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION",
            String.join(",", java.util.stream.IntStream.rangeClosed(10, 40).mapToObj(Integer::toString).toList()));

    private ChildEnvironment() {
    }

    static Map<String, String> forApp(SynthOptions options, CdkProject project, Path outDir) {
        Map<String, String> env = new HashMap<>(options.environment());
        env.put("CDK_OUTDIR", outDir.toString());
        env.put("CDK_CONTEXT_JSON", project.contextJson());
        if (options.region() != null) {
            env.put("CDK_DEFAULT_REGION", options.region());
        }
        if (options.account() != null) {
            env.put("CDK_DEFAULT_ACCOUNT", options.account());
        }
        if (!options.validation()) {
            env.put("CDK_VALIDATION", "false");
        }
        JSII_SILENCERS.forEach(env::putIfAbsent);
        // a value the user set (often "1", which jsii does not read as a version) keeps its versions and gains ours
        String eol = "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION";
        String ours = JSII_SILENCERS.get(eol);
        if (!env.get(eol).equals(ours)) {
            env.put(eol, env.get(eol) + "," + ours);
        }
        return env;
    }

    /** Refuses output folders whose clearing would delete the app itself. */
    static void checkOutDir(Path appDir, Path outDir) throws SynthException {
        if (appDir.startsWith(outDir)) {
            throw new SynthException("output folder " + outDir + " contains the app",
                    List.of("choose an output folder inside the app folder, such as cdk.out; it is emptied before every synth"));
        }
    }
}
