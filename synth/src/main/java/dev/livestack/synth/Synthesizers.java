package dev.livestack.synth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** Chooses the synthesizer an app needs. */
public final class Synthesizers {
    private static final Pattern MAVEN_COMMAND = Pattern.compile("(^|[\\s/;&|])mvnw?(\\s|$)");

    private Synthesizers() {
    }

    /**
     * The synthesizer for {@code options.app()}:
     * <ul>
     *   <li>a file: a CloudFormation template (JSON or YAML), read as is on every synth;</li>
     *   <li>a folder whose {@code cdk.json} runs Maven and which holds a single-module {@code pom.xml}
     *       naming the main class (exec plugin {@code mainClass}, as {@code cdk init} writes it): the
     *       warm in-process Java synthesizer (unless {@code options.warm()} is false);</li>
     *   <li>any other folder with {@code cdk.json}: its {@code app} command as a child process.</li>
     * </ul>
     * Every synth reports {@link SynthEvent}s to {@code options.listener()}. The warm synthesizer
     * starts preparing its runtime in the background at once.
     *
     * @throws SynthException when the app is neither a template file nor a folder with a valid {@code cdk.json}
     */
    public static Synthesizer forApp(SynthOptions options) throws SynthException {
        Path app = options.app();
        Synthesizer inner;
        if (Files.isRegularFile(app)) {
            inner = new TemplateFileSynthesizer(app, options.stackName());
        } else if (Files.isDirectory(app)) {
            CdkProject project = CdkProject.read(app, options.environment().get("HOME"));
            Path outDir = options.outDir() != null ? options.outDir() : project.output();
            ChildEnvironment.checkOutDir(app, outDir);
            if (options.warm() && isMavenJavaApp(app, project)) {
                inner = new WarmJavaSynthesizer(options, project, outDir);
            } else {
                inner = new CommandSynthesizer(options, app, outDir);
            }
        } else {
            throw new SynthException("app " + app + " does not exist",
                    List.of("--app takes a folder with cdk.json or a CloudFormation template file (JSON or YAML)"));
        }
        return new EventingSynthesizer(inner, options.listener());
    }

    /** A Maven Java app the warm synthesizer can run: pom.xml, a Maven app command, one module, a main class. */
    static boolean isMavenJavaApp(Path dir, CdkProject project) {
        return Files.isRegularFile(dir.resolve("pom.xml")) && MAVEN_COMMAND.matcher(project.app()).find()
                && MavenApp.notWarmBecause(dir, project.app()) == null;
    }
}
