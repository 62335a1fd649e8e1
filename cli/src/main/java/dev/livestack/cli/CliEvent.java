package dev.livestack.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The events the cli reports itself (the modules report theirs: {@code DeployEvent}, {@code SynthEvent},
 * {@code TailEvent}). {@link #type()} is the JSON Lines {@code type}; the record's components are its fields, whose
 * names users' pipelines parse, so they do not change. docs/commands.md lists every type (EventTypesTest holds it to
 * that).
 */
sealed interface CliEvent {

    /** The event's JSON type, e.g. {@code watch.ready}: its record's {@link Type}. */
    default String type() {
        return getClass().getAnnotation(Type.class).value();
    }

    /** The JSON type of an event record; each has one. */
    @Retention(RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(ElementType.TYPE)
    @interface Type {
        String value();
    }

    /** A line for people. */
    @Type("message")
    record Message(String text) implements CliEvent {
        public Message {
            Objects.requireNonNull(text, "text");
        }
    }

    /** A warning: something was skipped or degraded, the command goes on. */
    @Type("warning")
    record Warning(String text) implements CliEvent {
        public Warning {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A user-facing error.
     *
     * @param message what failed
     * @param hint what to do, or null (then absent from the JSON)
     */
    @Type("error")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ErrorMessage(String message, String hint) implements CliEvent {
        public ErrorMessage {
            Objects.requireNonNull(message, "message");
        }
    }

    /** No target was named and no credentials resolved: an embedded local-cloud is used. */
    @Type("target")
    record TargetChosen(String target, String endpoint) implements CliEvent {
        public TargetChosen {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(endpoint, "endpoint");
        }
    }

    /**
     * One stack's differences from what livestack last applied.
     *
     * @param changes the rendered changes, secrets masked
     * @param drifted hot-swapped resources not yet in CloudFormation's template: logical id → properties
     */
    @Type("diff")
    record Diff(String stack, List<String> changes, Map<String, List<String>> drifted) implements CliEvent {
        public Diff {
            Objects.requireNonNull(stack, "stack");
            changes = List.copyOf(changes);
            // in the deployer's order: Map.copyOf would shuffle the JSON
            drifted = Collections.unmodifiableMap(new LinkedHashMap<>(drifted));
        }
    }

    /** {@code synth --out}: a stack's template was written. */
    @Type("synth.written")
    record SynthWritten(String stack, String file) implements CliEvent {
        public SynthWritten {
            Objects.requireNonNull(stack, "stack");
            Objects.requireNonNull(file, "file");
        }
    }

    /** {@code synth --output json}: a stack's template. */
    @Type("synth.template")
    record SynthTemplate(String stack, ObjectNode template) implements CliEvent {
        public SynthTemplate {
            Objects.requireNonNull(stack, "stack");
            Objects.requireNonNull(template, "template");
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
    @Type("invoke.result")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record InvokeResult(String action, String function, String functionError, Object result, List<String> logs)
            implements CliEvent {
        public InvokeResult {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(function, "function");
            Objects.requireNonNull(result, "result");
            logs = List.copyOf(logs);
        }
    }

    /** One log event of a function ({@code logs}, and {@code watch}'s log streaming). */
    @Type("log")
    record Log(String action, String logGroup, String logStream, String timestamp, String message, String eventId)
            implements CliEvent {
        public Log {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(logGroup, "logGroup");
            Objects.requireNonNull(message, "message");
        }
    }

    /** {@code deploy --outputs-file}: the outputs were written. */
    @Type("outputs.written")
    record OutputsWritten(String file) implements CliEvent {
        public OutputsWritten {
            Objects.requireNonNull(file, "file");
        }
    }

    /**
     * The watch is deployed and watching.
     *
     * @param target the target's one-line description
     * @param mode fallback, hotswap or full
     */
    @Type("watch.ready")
    record WatchReady(String app, String target, String account, String region, String mode) implements CliEvent {
        public WatchReady {
            Objects.requireNonNull(app, "app");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(mode, "mode");
        }
    }

    /**
     * The watcher reported a batch of saves.
     *
     * @param paths the saved files, relative to the app folder, sorted
     * @param functions the functions whose source folders they are in (stack/logical id), sorted
     * @param onlyFunctionSources true when every path is in an inline function's source folder
     */
    @Type("change.detected")
    record ChangeDetected(List<String> paths, List<String> functions, boolean onlyFunctionSources) implements CliEvent {
        public ChangeDetected {
            paths = List.copyOf(paths);
            functions = List.copyOf(functions);
        }
    }

    /** A synth finished after a newer save arrived; its assembly is not deployed, the follow-up cycle synthesises again. */
    @Type("synth.superseded")
    record SynthSuperseded() implements CliEvent {
    }

    /** The watch loop finished every cycle asked of it so far (JSON only). */
    @Type("watch.idle")
    record WatchIdle() implements CliEvent {
    }

    /** The console's {@code l} key. */
    @Type("logs.toggled")
    record LogsToggled(boolean on) implements CliEvent {
    }

    /** The watch ended. */
    @Type("watch.stopped")
    record WatchStopped() implements CliEvent {
    }

    /**
     * {@code local-cloud start}, in the foreground or with {@code --detach}.
     *
     * @param pid the process serving it (this one in the foreground, the detached child otherwise)
     * @param adminTokenFile where its admin token is (never the token itself)
     */
    @Type("local-cloud.started")
    record LocalCloudStarted(String endpoint, long pid, String stateDir, String adminTokenFile) implements CliEvent {
        public LocalCloudStarted {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(stateDir, "stateDir");
            Objects.requireNonNull(adminTokenFile, "adminTokenFile");
        }
    }

    /**
     * {@code local-cloud stop}: afterwards none runs for the state folder.
     *
     * @param running always false: it is not running (any more)
     * @param pid the process that was stopped, or null (absent) when none was running
     */
    @Type("local-cloud.stopped")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record LocalCloudStopped(boolean running, Long pid) implements CliEvent {
        public LocalCloudStopped {
            if (running) {
                throw new IllegalArgumentException("running must be false after a stop");
            }
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
    @Type("local-cloud.status")
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
    }

    /** {@code local-cloud reset}: its state was deleted. */
    @Type("local-cloud.reset")
    record LocalCloudReset(String stateDir) implements CliEvent {
        public LocalCloudReset {
            Objects.requireNonNull(stateDir, "stateDir");
        }
    }
}
