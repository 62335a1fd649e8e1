package dev.livestack.sample;

import software.amazon.awscdk.App;
import software.amazon.awscdk.LegacyStackSynthesizer;
import software.amazon.awscdk.StackProps;

/** The sample CDK app: one stack, {@value #STACK_NAME}, holding the order pipeline. */
public final class SampleApp {
    /** The stack's name. */
    public static final String STACK_NAME = "LivestackSample";
    /**
     * Context key: {@code true} synthesises with {@code LegacyStackSynthesizer}, so the CDK CLI can deploy the
     * app without a bootstrap stack (the side-by-side benchmark uses it).
     */
    public static final String LEGACY_SYNTHESIZER_CONTEXT = "livestack:legacySynthesizer";

    private SampleApp() {
    }

    /** Synthesises the app into the CDK output folder ({@code CDK_OUTDIR}, as set by the CDK CLI or livestack). */
    public static void main(String[] args) {
        App app = new App();
        addStacks(app);
        app.synth();
    }

    /**
     * Adds the app's stack to {@code app}, honouring the {@value #LEGACY_SYNTHESIZER_CONTEXT} context key; tests
     * call it with an {@code App} of their own.
     *
     * @return the stack
     */
    public static OrderPipelineStack addStacks(App app) {
        StackProps.Builder props = StackProps.builder()
                .description("livestack sample: an order pipeline of actors (ingest, worker, reaper)");
        if (legacySynthesizer(app.getNode().tryGetContext(LEGACY_SYNTHESIZER_CONTEXT))) {
            props.synthesizer(new LegacyStackSynthesizer());
        }
        return new OrderPipelineStack(app, STACK_NAME, props.build());
    }

    /** {@code -c livestack:legacySynthesizer=true} arrives as a string, cdk.json's {@code true} as a boolean. */
    static boolean legacySynthesizer(Object context) {
        return context != null && Boolean.parseBoolean(context.toString());
    }
}
