package dev.livestack.context;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestack.synth.CloudAssembly;
import dev.livestack.synth.MissingContext;
import dev.livestack.synth.SynthEvent;
import dev.livestack.synth.SynthException;
import dev.livestack.synth.Synthesizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Context lookups as the CDK CLI does them: when an assembly lists {@code missing} context, run each entry's
 * context provider against the target, store the values in the app's {@code cdk.context.json} and synthesise
 * again, until nothing is missing. A round that misses exactly what the previous one missed makes no progress
 * and is an error. A failed lookup is never saved; it is a {@link ContextLookupException} naming the provider and
 * the key once the app asks for that key again (or when nothing in its round was found), after the values that
 * were found are saved.
 */
public final class ContextLookups {
    /** Rounds of lookups one synth may take (each round can only uncover context its values made reachable). */
    static final int MAX_ROUNDS = 10;

    private ContextLookups() {
    }

    /**
     * A synthesizer that looks missing context up before returning an assembly.
     *
     * @param inner the app's synthesizer; it must read {@code cdk.context.json} afresh on every synth (all of
     *     livestack's do)
     * @param appDir the app folder, where {@code cdk.context.json} is
     * @param target where lookups go; asked for only when some context is missing (building it may start a
     *     local-cloud or read credentials)
     */
    public static Synthesizer withLookups(Synthesizer inner, Path appDir, Supplier<LookupTarget> target) {
        return withLookups(inner, appDir, target, e -> { });
    }

    /**
     * As {@link #withLookups(Synthesizer, Path, Supplier)}, reporting a synth that fails in the loop itself (a failed
     * lookup, an app that never settles) to {@code listener} as {@link SynthEvent.SynthFailed}, as the synthesizer
     * reports its own failures.
     */
    public static Synthesizer withLookups(Synthesizer inner, Path appDir, Supplier<LookupTarget> target,
            Consumer<SynthEvent> listener) {
        return new LookupSynthesizer(Objects.requireNonNull(inner, "inner"), Objects.requireNonNull(appDir, "appDir"),
                Objects.requireNonNull(target, "target"), Objects.requireNonNull(listener, "listener"));
    }

    /** The provider names this build knows ({@code availability-zones}, {@code vpc-provider}, …). */
    public static Set<String> providers() {
        return Set.copyOf(Providers.names());
    }

    /**
     * Looks these entries up once and stores what was found in {@code appDir/cdk.context.json}.
     *
     * @return the values, by key
     * @throws ContextLookupException for the first entry whose lookup failed (the others still ran)
     */
    public static Map<String, JsonNode> lookUp(List<MissingContext> missing, Path appDir, LookupTarget target)
            throws SynthException {
        try (AwsClients aws = new AwsClients(target)) {
            return lookUp(missing, appDir, aws);
        }
    }

    static Map<String, JsonNode> lookUp(List<MissingContext> missing, Path appDir, AwsClients aws) throws SynthException {
        Round r = round(missing, appDir, aws);
        if (!r.failed().isEmpty()) {
            throw r.failure();
        }
        return r.found();
    }

    /** One round of lookups: what was found (already saved) and what failed (not saved). */
    record Round(Map<String, JsonNode> found, List<ContextLookupException> failed) {
        /** The first failure, with the round's other failures as its diagnostics. */
        ContextLookupException failure() {
            ContextLookupException first = failed.get(0);
            List<String> others = new ArrayList<>();
            for (ContextLookupException e : failed.subList(1, failed.size())) {
                others.add(e.getMessage());
            }
            return others.isEmpty() ? first : first.withOthers(others);
        }
    }

    static Round round(List<MissingContext> missing, Path appDir, AwsClients aws) throws SynthException {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        List<ContextLookupException> failed = new ArrayList<>();
        for (MissingContext m : missing) {
            Query q = new Query(m.provider(), m.key(), m.props());
            Providers.Provider provider = Providers.ALL.get(m.provider());
            if (provider == null) {
                failed.add(new ContextLookupException(m.provider(), m.key(), "livestack has no context provider named "
                        + m.provider() + " (it has " + String.join(", ", new java.util.TreeSet<>(Providers.names())) + ")",
                        List.of(), null));
                continue;
            }
            try {
                found.put(m.key(), provider.lookup(q, aws));
            } catch (LookupFailure e) {
                failed.add(new ContextLookupException(m.provider(), m.key(), e.getMessage(), List.of(), e));
            } catch (AwsServiceException e) {
                String reason = e.awsErrorDetails() == null ? e.getMessage()
                        : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
                failed.add(new ContextLookupException(m.provider(), m.key(), reason, List.of(), e));
            } catch (SdkException e) {
                failed.add(new ContextLookupException(m.provider(), m.key(), e.getMessage(), List.of(), e));
            }
        }
        try {
            ContextFile.merge(appDir, found);
        } catch (IOException e) {
            throw new SynthException("cannot write " + appDir.resolve("cdk.context.json") + ": " + e.getMessage(), List.of(), e);
        }
        return new Round(found, failed);
    }

    /** The loop around one app's synthesizer. */
    static final class LookupSynthesizer implements Synthesizer {
        private final Synthesizer inner;
        private final Path appDir;
        private final Supplier<LookupTarget> target;
        private final Consumer<SynthEvent> listener;
        private AwsClients aws;

        LookupSynthesizer(Synthesizer inner, Path appDir, Supplier<LookupTarget> target, Consumer<SynthEvent> listener) {
            this.inner = inner;
            this.appDir = appDir;
            this.target = target;
            this.listener = listener;
        }

        @Override
        public synchronized CloudAssembly synth() throws SynthException {
            try {
                return loop();
            } catch (LoopFailure e) {
                listener.accept(new SynthEvent.SynthFailed(e.failure.getMessage(), e.failure.diagnostics()));
                throw e.failure;
            }
        }

        /** A failure of the loop itself; the inner synthesizer has reported its own. */
        private static final class LoopFailure extends Exception {
            private static final long serialVersionUID = 1L;
            final transient SynthException failure;

            LoopFailure(SynthException failure) {
                super(failure.getMessage(), failure, false, false);
                this.failure = failure;
            }
        }

        private CloudAssembly loop() throws SynthException, LoopFailure {
            Set<String> previous = null;
            // A lookup made with another lookup's dummy value (a security group in the dummy VPC) fails and is asked
            // for under a new key once that value is known, so a failure only counts when the app asks for its key
            // again, as with the CDK CLI, which hands the error to the app instead of caching it.
            Map<String, ContextLookupException> failedBefore = new LinkedHashMap<>();
            for (int round = 0; ; round++) {
                CloudAssembly assembly = null;
                SynthException failure = null;
                List<MissingContext> missing;
                try {
                    assembly = inner.synth();
                    missing = assembly.missing();
                } catch (ContextLookupException e) {
                    throw e;
                } catch (SynthException e) {
                    if (e.missing().isEmpty()) {
                        throw e;
                    }
                    failure = e;
                    missing = e.missing();
                }
                if (missing.isEmpty()) {
                    return assembly;
                }
                Set<String> keys = new LinkedHashSet<>();
                missing.forEach(m -> keys.add(m.key()));
                if (keys.equals(previous) || round >= MAX_ROUNDS) {
                    if (failure != null) {
                        throw failure;
                    }
                    throw new LoopFailure(new SynthException("the app still misses context after it was looked up: "
                            + String.join(", ", keys), List.of("the values are in " + appDir.resolve("cdk.context.json")
                                    + "; an app that asks for a different key on every synth never settles")));
                }
                for (MissingContext m : missing) {
                    ContextLookupException before = failedBefore.get(m.key());
                    if (before != null) {
                        throw new LoopFailure(before);
                    }
                }
                previous = keys;
                Round r;
                try {
                    r = round(missing, appDir, clients());
                } catch (SynthException e) {
                    throw new LoopFailure(e);
                }
                if (r.found().isEmpty() && !r.failed().isEmpty()) {
                    throw new LoopFailure(r.failure());
                }
                r.failed().forEach(f -> failedBefore.put(f.key(), f));
            }
        }

        private AwsClients clients() {
            if (aws == null) {
                aws = new AwsClients(target.get());
            }
            return aws;
        }

        @Override
        public synchronized void close() {
            if (aws != null) {
                aws.close();
            }
            inner.close();
        }
    }
}
