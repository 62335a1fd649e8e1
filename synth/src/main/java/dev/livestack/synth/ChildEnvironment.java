package dev.livestack.synth;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The environment of app processes: the caller's explicit environment plus what the CDK CLI sets. */
final class ChildEnvironment {
    /** jsii prints a multi-line banner on every start under an end-of-life or untested node. */
    static final List<String> JSII_SILENCERS = List.of(
            "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION",
            "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION",
            "JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION");

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
        for (String s : JSII_SILENCERS) {
            env.putIfAbsent(s, "1");
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
