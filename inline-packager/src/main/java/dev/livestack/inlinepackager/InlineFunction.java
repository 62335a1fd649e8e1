package dev.livestack.inlinepackager;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * CDK helper: declares a Lambda function whose code is inlined from a source folder, packaged by
 * {@link InlinePackager} at synth time, and stamps the resource's metadata with {@value FunctionSources#SOURCE_METADATA}
 * (the source relative to the app folder) and {@value FunctionSources#RUNTIME_METADATA}, which livestack's watcher
 * uses to map a saved file to its function.
 *
 * <pre>{@code
 * Function ingest = InlineFunction.nodejs(this, "Ingest", "functions/ingest")
 *         .environment("LOG_LEVEL", "debug")
 *         .timeout(Duration.seconds(10))
 *         .build();
 * }</pre>
 *
 * <p>Relative sources resolve against the app folder: the system property {@value #APP_DIR_PROPERTY} when set (an
 * in-process synthesiser sets it, since its working directory is not the app's), else the nearest folder holding
 * {@code cdk.json} from the working directory up, else the working directory. A source that cannot be inlined
 * fails the synth with the packager's two-line message.
 */
public final class InlineFunction {
    /** System property naming the app folder that relative sources resolve against. */
    public static final String APP_DIR_PROPERTY = "livestack.appDir";

    private static volatile InlinePackager defaultPackager;

    private InlineFunction() {
    }

    /**
     * A Node.js function (default runtime {@code nodejs22.x}: CloudFormation deprecated nodejs20.x in April 2026)
     * from a source folder or file.
     */
    public static Builder nodejs(Construct scope, String id, String source) {
        return new Builder(scope, id, source, Runtime.NODEJS_22_X);
    }

    /** A Python function (default runtime {@code python3.12}) from a source folder or a single {@code .py} file. */
    public static Builder python(Construct scope, String id, String source) {
        return new Builder(scope, id, source, Runtime.PYTHON_3_12);
    }

    /**
     * The app folder relative sources resolve against (see the class comment).
     */
    public static Path appDir() {
        String property = System.getProperty(APP_DIR_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        Path cwd = Path.of("").toAbsolutePath().normalize();
        for (Path dir = cwd; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("cdk.json"))) {
                return dir;
            }
        }
        return cwd;
    }

    private static InlinePackager sharedPackager() {
        InlinePackager p = defaultPackager;
        if (p == null) {
            p = InlinePackager.create();
            defaultPackager = p;
        }
        return p;
    }

    /** Builds one inline function; each setter returns the builder. */
    public static final class Builder {
        private final Construct scope;
        private final String id;
        private final String source;
        private Runtime runtime;
        private String handler = "index.handler";
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Duration timeout;
        private Number memorySize;
        private String description;
        private String functionName;
        private final List<Consumer<Function.Builder>> customizers = new ArrayList<>();
        private InlinePackager packager;
        private Path appDir;

        private Builder(Construct scope, String id, String source, Runtime runtime) {
            if (scope == null) {
                throw new IllegalArgumentException("scope must not be null");
            }
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("id must not be blank");
            }
            if (source == null || source.isBlank()) {
                throw new IllegalArgumentException("source must not be blank");
            }
            this.scope = scope;
            this.id = id;
            this.source = source;
            this.runtime = runtime;
        }

        /** The runtime, e.g. {@code Runtime.NODEJS_22_X}; it must be a Node.js or Python runtime. */
        public Builder runtime(Runtime value) {
            if (value == null) {
                throw new IllegalArgumentException("runtime must not be null");
            }
            this.runtime = value;
            return this;
        }

        /** The handler; inline code requires {@code index.<function>} (default {@code index.handler}). */
        public Builder handler(String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("handler must not be blank");
            }
            this.handler = value;
            return this;
        }

        /** Adds one environment variable. */
        public Builder environment(String name, String value) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            if (value == null) {
                throw new IllegalArgumentException("value must not be null");
            }
            environment.put(name, value);
            return this;
        }

        /** Adds environment variables. */
        public Builder environment(Map<String, String> variables) {
            if (variables == null) {
                throw new IllegalArgumentException("variables must not be null");
            }
            variables.forEach(this::environment);
            return this;
        }

        /** The function timeout. */
        public Builder timeout(Duration value) {
            this.timeout = value;
            return this;
        }

        /** Memory in MB. */
        public Builder memorySize(Number value) {
            this.memorySize = value;
            return this;
        }

        /** The function description. */
        public Builder description(String value) {
            this.description = value;
            return this;
        }

        /** A fixed physical function name (default: generated by CloudFormation). */
        public Builder functionName(String value) {
            this.functionName = value;
            return this;
        }

        /** Any other {@code Function} property, applied to the CDK builder before it builds. */
        public Builder configure(Consumer<Function.Builder> customizer) {
            if (customizer == null) {
                throw new IllegalArgumentException("customizer must not be null");
            }
            customizers.add(customizer);
            return this;
        }

        /** The packager to use (default: {@link InlinePackager#create()}, shared by all functions). */
        public Builder packager(InlinePackager value) {
            if (value == null) {
                throw new IllegalArgumentException("packager must not be null");
            }
            this.packager = value;
            return this;
        }

        /** The app folder relative sources resolve against (default: {@link InlineFunction#appDir()}). */
        public Builder appDir(Path value) {
            if (value == null) {
                throw new IllegalArgumentException("appDir must not be null");
            }
            this.appDir = value.toAbsolutePath().normalize();
            return this;
        }

        /**
         * Packages the source and creates the function.
         *
         * @throws IllegalArgumentException when the source cannot be inlined or the handler is not
         *     {@code index.*}; the message is the packager's two lines (what failed, what to do)
         */
        public Function build() {
            Path base = appDir != null ? appDir : InlineFunction.appDir();
            Path path = base.resolve(source).normalize();
            InlineCode code;
            try {
                InlinePackager.checkHandler(handler);
                code = (packager != null ? packager : sharedPackager()).pack(path, runtime.getName());
            } catch (PackagingException e) {
                throw new IllegalArgumentException(id + ": " + e.userMessage(), e);
            }
            Function.Builder builder = Function.Builder.create(scope, id)
                    .runtime(runtime)
                    .handler(handler)
                    .code(Code.fromInline(code.source()));
            if (!environment.isEmpty()) {
                builder.environment(environment);
            }
            if (timeout != null) {
                builder.timeout(timeout);
            }
            if (memorySize != null) {
                builder.memorySize(memorySize);
            }
            if (description != null) {
                builder.description(description);
            }
            if (functionName != null) {
                builder.functionName(functionName);
            }
            customizers.forEach(c -> c.accept(builder));
            Function function = builder.build();
            IConstruct child = function.getNode().getDefaultChild();
            if (child instanceof CfnResource resource) {
                resource.addMetadata(FunctionSources.SOURCE_METADATA, relative(base, path));
                resource.addMetadata(FunctionSources.RUNTIME_METADATA, runtime.getName());
            }
            return function;
        }

        /** Relative and {@code /}-separated, so a template reads the same on every machine. */
        private static String relative(Path base, Path path) {
            Path shown = path.startsWith(base) ? base.relativize(path) : path;
            String text = shown.toString().replace(path.getFileSystem().getSeparator(), "/");
            return text.isEmpty() ? "." : text;
        }
    }
}
