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
        StackProps.Builder props = StackProps.builder()
                .description("livestack sample: an order pipeline of actors (ingest, worker, reaper)");
        if (legacySynthesizer(app.getNode().tryGetContext(LEGACY_SYNTHESIZER_CONTEXT))) {
            props.synthesizer(new LegacyStackSynthesizer());
        }
        new OrderPipelineStack(app, STACK_NAME, props.build());
        app.synth();
    }

    /** {@code -c livestack:legacySynthesizer=true} arrives as a string, cdk.json's {@code true} as a boolean. */
    static boolean legacySynthesizer(Object context) {
        return context != null && Boolean.parseBoolean(context.toString());
    }
}
