package dev.livestack.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The events the cli reports itself (the modules report theirs: {@code DeployEvent}, {@code SynthEvent},
 * {@code TailEvent}). {@link #type()} is the JSON Lines {@code type}; the record's components are its fields, whose
 * names users' pipelines parse, so they do not change. docs/commands.md lists every type (CliEventsDocTest holds it to
 * that).
 */
sealed interface CliEvent {

    /** The event's JSON type, e.g. {@code watch.ready}. */
    String type();

    /** A line for people. */
    record Message(String text) implements CliEvent {
        public Message {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String type() {
            return "message";
        }
    }

    /** A warning: something was skipped or degraded, the command goes on. */
    record Warning(String text) implements CliEvent {
        public Warning {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String type() {
            return "warning";
        }
    }

    /**
     * A user-facing error.
     *
     * @param message what failed
     * @param hint what to do, or null (then absent from the JSON)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ErrorMessage(String message, String hint) implements CliEvent {
        public ErrorMessage {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String type() {
            return "error";
        }
    }

    /** No target was named and no credentials resolved: an embedded local-cloud is used. */
    record TargetChosen(String target, String endpoint) implements CliEvent {
        public TargetChosen {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(endpoint, "endpoint");
        }

        @Override
        public String type() {
            return "target";
        }
    }

    /**
     * One stack's differences from what livestack last applied.
     *
     * @param changes the rendered changes, secrets masked
     * @param drifted hot-swapped resources not yet in CloudFormation's template: logical id → properties
     */
    record Diff(String stack, List<String> changes, Map<String, List<String>> drifted) implements CliEvent {
        public Diff {
            Objects.requireNonNull(stack, "stack");
            changes = List.copyOf(changes);
            drifted = Map.copyOf(drifted);
        }

        @Override
        public String type() {
            return "diff";
        }
    }

    /** {@code synth --out}: a stack's template was written. */
    record SynthWritten(String stack, String file) implements CliEvent {
        public SynthWritten {
            Objects.requireNonNull(stack, "stack");
            Objects.requireNonNull(file, "file");
        }

        @Override
        public String type() {
            return "synth.written";
        }
    }

    /** {@code synth --output json}: a stack's template. */
    record SynthTemplate(String stack, ObjectNode template) implements CliEvent {
        public SynthTemplate {
            Objects.requireNonNull(stack, "stack");
            Objects.requireNonNull(template, "template");
        }

        @Override
        public String type() {
            return "synth.template";
        }
    }

    /**
     * A function ran ({@code invoke}, the console's {@code i} key).
     *
     * @param action the function's logical id
     * @param function its physical name, or {@code local:<folder>} for {@code --local}
     * @param functionError Lambda's {@code FunctionError} ({@code Unhandled}), or null when it succeeded (then absent)
     * @param result the returned payload: its JSON, or the text when it is not JSON
     * @param logs the invocation's log lines
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record InvokeResult(String action, String function, String functionError, Object result, List<String> logs)
            implements CliEvent {
        public InvokeResult {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(function, "function");
            Objects.requireNonNull(result, "result");
            logs = List.copyOf(logs);
        }

        @Override
        public String type() {
            return "invoke.result";
        }
    }

    /** One log event of a function ({@code logs}, and {@code watch}'s log streaming). */
    record Log(String action, String logGroup, String logStream, String timestamp, String message, String eventId)
            implements CliEvent {
        public Log {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(logGroup, "logGroup");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String type() {
            return "log";
        }
    }

    /** {@code deploy --outputs-file}: the outputs were written. */
    record OutputsWritten(String file) implements CliEvent {
        public OutputsWritten {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public String type() {
            return "outputs.written";
        }
    }

    /**
     * The watch is deployed and watching.
     *
     * @param target the target's one-line description
     * @param mode fallback, hotswap or full
     */
    record WatchReady(String app, String target, String account, String region, String mode) implements CliEvent {
        public WatchReady {
            Objects.requireNonNull(app, "app");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(mode, "mode");
        }

        @Override
        public String type() {
            return "watch.ready";
        }
    }

    /**
     * The watcher reported a batch of saves.
     *
     * @param paths the saved files, relative to the app folder, sorted
     * @param functions the functions whose source folders they are in (stack/logical id), sorted
     * @param onlyFunctionSources true when every path is in an inline function's source folder
     */
    record ChangeDetected(List<String> paths, List<String> functions, boolean onlyFunctionSources) implements CliEvent {
        public ChangeDetected {
            paths = List.copyOf(paths);
            functions = List.copyOf(functions);
        }

        @Override
        public String type() {
            return "change.detected";
        }
    }

    /** A synth finished after a newer save arrived; its assembly is not deployed, the follow-up cycle synthesises again. */
    record SynthSuperseded() implements CliEvent {
        @Override
        public String type() {
            return "synth.superseded";
        }
    }

    /** The watch loop finished every cycle asked of it so far (JSON only). */
    record WatchIdle() implements CliEvent {
        @Override
        public String type() {
            return "watch.idle";
        }
    }

    /** The console's {@code l} key. */
    record LogsToggled(boolean on) implements CliEvent {
        @Override
        public String type() {
            return "logs.toggled";
        }
    }

    /** The watch ended. */
    record WatchStopped() implements CliEvent {
        @Override
        public String type() {
            return "watch.stopped";
        }
    }

    /**
     * {@code local-cloud start}, in the foreground or with {@code --detach}.
     *
     * @param pid the process serving it (this one in the foreground, the detached child otherwise)
     * @param adminTokenFile where its admin token is (never the token itself)
     */
    record LocalCloudStarted(String endpoint, long pid, String stateDir, String adminTokenFile) implements CliEvent {
        public LocalCloudStarted {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(stateDir, "stateDir");
            Objects.requireNonNull(adminTokenFile, "adminTokenFile");
        }

        @Override
        public String type() {
            return "local-cloud.started";
        }
    }

    /**
     * {@code local-cloud stop}: afterwards none runs for the state folder.
     *
     * @param running always false: it is not running (any more)
     * @param pid the process that was stopped, or null (absent) when none was running
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record LocalCloudStopped(boolean running, Long pid) implements CliEvent {
        public LocalCloudStopped {
            if (running) {
                throw new IllegalArgumentException("running must be false after a stop");
            }
        }

        @Override
        public String type() {
            return "local-cloud.stopped";
        }
    }

    /**
     * {@code local-cloud status}.
     *
     * @param endpoint where it answers, or null (absent) when it is not running
     * @param pid its process, or null (absent) when it is not running
     * @param stateBytes bytes of every file under the state folder
     * @param quarantined the records it could not read and moved to {@code quarantine/}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record LocalCloudStatus(boolean running, String endpoint, Long pid, String stateDir, long stateBytes,
                            List<String> quarantined) implements CliEvent {
        public LocalCloudStatus {
            if (running && (endpoint == null || pid == null)) {
                throw new IllegalArgumentException("endpoint and pid are required when running");
            }
            Objects.requireNonNull(stateDir, "stateDir");
            quarantined = List.copyOf(quarantined);
        }

        @Override
        public String type() {
            return "local-cloud.status";
        }
    }

    /** {@code local-cloud reset}: its state was deleted. */
    record LocalCloudReset(String stateDir) implements CliEvent {
        public LocalCloudReset {
            Objects.requireNonNull(stateDir, "stateDir");
        }

        @Override
        public String type() {
            return "local-cloud.reset";
        }
    }
}
