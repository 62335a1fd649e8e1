package dev.livestack.synth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How to synthesise an app. Build one with {@link #of(Path)} and the {@code with…} methods.
 *
 * <p>Nothing here is read from livestack's own environment: {@code environment} is exactly what
 * child processes (the app command, Maven, the warm synth runtime and its node) get, plus the
 * {@code CDK_*} variables the CDK CLI would set. The cli passes what they need (PATH, HOME,
 * JAVA_HOME, MAVEN_OPTS, proxy settings…).
 *
 * @param app a template file (JSON or YAML) or an app folder holding {@code cdk.json}
 * @param stackName the stack name for a template file app; null = the file name without extension
 * @param outDir where the cloud assembly is written; null = {@code cdk.json}'s {@code output}, else {@code <app>/cdk.out}
 * @param validation run aws-cdk-lib's synth-time validation ({@code CDK_VALIDATION=false} when off)
 * @param environment the environment of child processes
 * @param region {@code CDK_DEFAULT_REGION}, or null to leave it unset
 * @param account {@code CDK_DEFAULT_ACCOUNT}, or null to leave it unset
 * @param listener receives {@link SynthEvent}s; called on the synthesising thread
 * @param warm use the warm in-process synthesizer for Maven Java apps (false = run the {@code app} command)
 * @param maxSynthsPerRuntime the warm runtime is replaced after this many synths (jsii never frees objects)
 * @param maxRuntimeMemoryMb the warm runtime is replaced when its JVM and node together use more resident memory
 * @param synthTimeout how long the app may run in one synth (the app command, or the app's main in the warm
 *     runtime); past it the process is killed and the synth fails
 */
public record SynthOptions(
        Path app,
        String stackName,
        Path outDir,
        boolean validation,
        Map<String, String> environment,
        String region,
        String account,
        Consumer<SynthEvent> listener,
        boolean warm,
        int maxSynthsPerRuntime,
        int maxRuntimeMemoryMb,
        Duration synthTimeout) {

    /**
     * Synths per warm runtime by default (throw-away warm-up synths included). After its first ~20
     * synths node grows by about 0.5 MB per synth of the sample app, from ~560 MB; the replacement
     * is prepared (and warmed) in the background, so recycling costs no synth any time.
     */
    public static final int DEFAULT_MAX_SYNTHS_PER_RUNTIME = 100;
    /** Resident memory bound of a warm runtime (JVM + node) by default. */
    public static final int DEFAULT_MAX_RUNTIME_MEMORY_MB = 1500;
    /** How long one synth may run by default; a CDK app's synth takes seconds, so this only catches a hang. */
    public static final Duration DEFAULT_SYNTH_TIMEOUT = Duration.ofSeconds(120);

    public SynthOptions {
        Objects.requireNonNull(app, "app");
        app = app.toAbsolutePath().normalize();
        if (stackName != null && stackName.isBlank()) {
            throw new IllegalArgumentException("stackName must not be blank");
        }
        outDir = outDir == null ? null : outDir.toAbsolutePath().normalize();
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        if (region != null && region.isBlank()) {
            throw new IllegalArgumentException("region must not be blank");
        }
        if (account != null && account.isBlank()) {
            throw new IllegalArgumentException("account must not be blank");
        }
        listener = listener == null ? e -> { } : listener;
        if (maxSynthsPerRuntime < 1) {
            throw new IllegalArgumentException("maxSynthsPerRuntime must be at least 1: " + maxSynthsPerRuntime);
        }
        if (maxRuntimeMemoryMb < 64) {
            throw new IllegalArgumentException("maxRuntimeMemoryMb must be at least 64: " + maxRuntimeMemoryMb);
        }
        synthTimeout = synthTimeout == null ? DEFAULT_SYNTH_TIMEOUT : synthTimeout;
        if (synthTimeout.isNegative() || synthTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("synthTimeout must be positive: " + synthTimeout);
        }
    }

    /** Defaults: validation on, empty environment, no region/account, no listener, warm synth on. */
    public static SynthOptions of(Path app) {
        return new SynthOptions(app, null, null, true, Map.of(), null, null, null, true,
                DEFAULT_MAX_SYNTHS_PER_RUNTIME, DEFAULT_MAX_RUNTIME_MEMORY_MB, DEFAULT_SYNTH_TIMEOUT);
    }

    /** The same options with the stack name of a template-file app. */
    public SynthOptions withStackName(String name) {
        return new SynthOptions(app, name, outDir, validation, environment, region, account, listener, warm,
                maxSynthsPerRuntime, maxRuntimeMemoryMb, synthTimeout);
    }

    /** The same options with aws-cdk-lib's synth-time validation on or off. */
    public SynthOptions withValidation(boolean on) {
        return new SynthOptions(app, stackName, outDir, on, environment, region, account, listener, warm,
                maxSynthsPerRuntime, maxRuntimeMemoryMb, synthTimeout);
    }

    /** The same options with the environment child processes get (PATH, HOME, JAVA_HOME…). */
    public SynthOptions withEnvironment(Map<String, String> env) {
        return new SynthOptions(app, stackName, outDir, validation, env, region, account, listener, warm,
                maxSynthsPerRuntime, maxRuntimeMemoryMb, synthTimeout);
    }

    /** The same options with {@code CDK_DEFAULT_REGION} / {@code CDK_DEFAULT_ACCOUNT} (either may be null). */
    public SynthOptions withTarget(String newRegion, String newAccount) {
        return new SynthOptions(app, stackName, outDir, validation, environment, newRegion, newAccount, listener,
                warm, maxSynthsPerRuntime, maxRuntimeMemoryMb, synthTimeout);
    }

    /** The same options with another event listener. */
    public SynthOptions withListener(Consumer<SynthEvent> l) {
        return new SynthOptions(app, stackName, outDir, validation, environment, region, account, l, warm,
                maxSynthsPerRuntime, maxRuntimeMemoryMb, synthTimeout);
    }

    /** The same options with the warm Java synthesizer allowed or not. */
    public SynthOptions withWarm(boolean on) {
        return new SynthOptions(app, stackName, outDir, validation, environment, region, account, listener, on,
                maxSynthsPerRuntime, maxRuntimeMemoryMb, synthTimeout);
    }

    /** The same options with other recycling bounds for the warm runtime. */
    public SynthOptions withRuntimeBounds(int maxSynths, int maxMemoryMb) {
        return new SynthOptions(app, stackName, outDir, validation, environment, region, account, listener, warm,
                maxSynths, maxMemoryMb, synthTimeout);
    }

    /** The same options with another synth timeout. */
    public SynthOptions withSynthTimeout(Duration timeout) {
        return new SynthOptions(app, stackName, outDir, validation, environment, region, account, listener, warm,
                maxSynthsPerRuntime, maxRuntimeMemoryMb, java.util.Objects.requireNonNull(timeout, "timeout"));
    }
}
