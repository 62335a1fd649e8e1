package dev.livestack.synth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Any {@code cdk.json} app: runs the {@code app} command through {@code sh -c} in the app folder,
 * with {@code CDK_OUTDIR} and {@code CDK_CONTEXT_JSON} as the CDK CLI sets them, then reads the
 * assembly. An {@code app} that names a folder is an already synthesised assembly.
 */
final class CommandSynthesizer implements Synthesizer {
    private static final int KEPT_OUTPUT_LINES = 60;
    /** Kills an app command that overran the synth timeout; its output stream then ends and the synth reports it. */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "livestack-synth-command-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final SynthOptions options;
    private final Path dir;
    private final Path outDir;
    private volatile Process running;

    CommandSynthesizer(SynthOptions options, Path dir, Path outDir) {
        this.options = options;
        this.dir = dir;
        this.outDir = outDir;
    }

    @Override
    public CloudAssembly synth() throws SynthException {
        CdkProject project = CdkProject.read(dir, options.environment().get("HOME"));
        Path asAssembly = dir.resolve(project.app());
        if (!project.app().contains(" ") && Files.isDirectory(asAssembly)) {
            return AssemblyReader.read(asAssembly);
        }
        ChildEnvironment.checkOutDir(dir, outDir);
        try {
            Folders.clear(outDir);
        } catch (IOException e) {
            throw new SynthException("cannot empty output folder " + outDir + ": " + e.getMessage(), List.of(), e);
        }
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", project.app())
                .directory(dir.toFile())
                .redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(ChildEnvironment.forApp(options, project, outDir));
        Deque<String> tail = new ArrayDeque<>();
        int exit;
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> watchdog = null;
        try {
            Process p = pb.start();
            running = p;
            watchdog = WATCHDOG.schedule(() -> {
                timedOut.set(true);
                // descendants first: `sh -c` leaves the app (node, java, python…) holding the output pipe
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }, options.synthTimeout().toMillis(), TimeUnit.MILLISECONDS);
            p.getOutputStream().close();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    tail.addLast(line);
                    if (tail.size() > KEPT_OUTPUT_LINES) {
                        tail.removeFirst();
                    }
                }
            }
            exit = p.waitFor();
        } catch (IOException e) {
            throw new SynthException("cannot run the app command '" + project.app() + "': " + e.getMessage(),
                    List.of("check cdk.json's \"app\" and that its program is on the PATH given to livestack"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SynthException("synth interrupted", List.of(), e);
        } finally {
            running = null;
            if (watchdog != null) {
                watchdog.cancel(false);
            }
        }
        if (timedOut.get()) {
            throw new SynthException("the app command '" + project.app() + "' did not finish within "
                    + WorkerProcess.seconds(options.synthTimeout()) + " and was stopped",
                    List.of("make the app's synth finish (does it wait for input or a server?), or allow it longer with"
                            + " --synth-timeout SECONDS"));
        }
        if (exit != 0) {
            List<String> diagnostics = new ArrayList<>(tail);
            String hint = hint(project.app(), exit, diagnostics);
            if (hint != null) {
                diagnostics.add(hint);
            }
            throw new SynthException("the app command '" + project.app() + "' exited with code " + exit, diagnostics);
        }
        return AssemblyReader.read(outDir);
    }

    /**
     * What to do when an app command fails for a reason outside the app: its program is missing
     * (exit 127 from {@code sh}), or a Gradle wrapper cannot download Gradle (it fetches the
     * distribution from services.gradle.org on first use); null otherwise, the app's own output says it.
     */
    static String hint(String command, int exit, List<String> output) {
        boolean gradle = command.matches("(?s).*(^|[\\s/;&|])(gradlew|gradle)(\\s|$).*");
        if (gradle && output.stream().anyMatch(l -> l.contains("services.gradle.org") || l.contains("gradle-wrapper")
                || l.contains("Could not install Gradle distribution") || l.contains("UnknownHostException"))) {
            return "the Gradle wrapper could not download Gradle: install Gradle and set \"app\" to use it, or make"
                    + " services.gradle.org reachable once (the wrapper caches it under ~/.gradle)";
        }
        if (exit == 127) {
            return "the app command's program was not found: install it or put it on the PATH given to livestack"
                    + (gradle ? " (Gradle: run the wrapper './gradlew' or install Gradle)" : "");
        }
        return null;
    }

    @Override
    public void close() {
        Process p = running;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
    }
}
