package dev.livestack.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.logtail.Action;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;

/**
 * Invoking a function, shared by {@code invoke}, {@code invoke --local} and the watch console's {@code i} key: the
 * event read and checked, the call, the result printed, and the last invocation remembered for {@code i}.
 */
final class Invocations {
    /** In the state folder: the last {@code invoke}'s action and event file. */
    static final String LAST_INVOKE = "last-invoke.json";

    private Invocations() {
    }

    static int invokeDeployed(Session session, Action target, byte[] payload) {
        InvokeResponse r = session.clients().lambda().invoke(b -> b.functionName(target.physicalName())
                .payload(SdkBytes.fromByteArray(payload)).logType(LogType.TAIL));
        String logs = r.logResult() == null ? "" : new String(Base64.getDecoder().decode(r.logResult()), StandardCharsets.UTF_8);
        String result = r.payload() == null ? "" : r.payload().asUtf8String();
        printResult(session.output(), target.logicalId(), target.physicalName(), r.functionError(), result, logs);
        return r.functionError() == null ? ExitCodes.OK : ExitCodes.FAILED;
    }

    static void printResult(Output out, String logicalId, String function, String functionError, String result, String logs) {
        List<String> lines = new ArrayList<>(List.of(logs.split("\n", -1)));
        lines.removeIf(String::isBlank);
        CliEvent.InvokeResult event = new CliEvent.InvokeResult(logicalId, function, functionError, parseOrText(result), lines);
        StringBuilder text = new StringBuilder();
        for (String l : lines) {
            text.append(out.paint("│ ", "2")).append(l).append('\n');
        }
        text.append(functionError == null ? out.paint("✓ " + logicalId, "32") : out.paint("✗ " + logicalId + " (" + functionError + ")", "31"))
                .append(" → ").append(pretty(result));
        out.event(event, text.toString());
    }

    private static Object parseOrText(String s) {
        try {
            return s.isEmpty() ? "" : Output.JSON.readTree(s);
        } catch (JsonProcessingException e) {
            return s;
        }
    }

    private static String pretty(String s) {
        try {
            JsonNode n = Output.JSON.readTree(s);
            return n == null ? s : Output.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (JsonProcessingException e) {
            return s;
        }
    }

    /** The event bytes: a file, stdin, or {}; always valid JSON, or a clear error. */
    static byte[] readEvent(Session session, String event) {
        byte[] bytes;
        String where;
        if (event == null) {
            return "{}".getBytes(StandardCharsets.UTF_8);
        } else if (event.equals("-")) {
            where = "stdin";
            try {
                bytes = session.io().in().readAllBytes();
            } catch (IOException e) {
                throw new UserError("Cannot read the event from stdin: " + e.getMessage(), "Pass --event FILE instead.");
            }
        } else {
            Path file = session.io().cwd().resolve(event);
            where = file.toString();
            if (!Files.isRegularFile(file)) {
                throw new UserError("The event file " + file + " does not exist.", "Pass --event FILE with a JSON file, or --event - for stdin.");
            }
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UserError("Cannot read the event file " + file + ": " + e.getMessage(), "Check the file's permissions.");
            }
        }
        try {
            // one JSON value and nothing after it: Lambda would reject '{"a":1} x' as the payload
            Output.JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(bytes);
        } catch (IOException e) {
            String msg = e instanceof JsonProcessingException j && j.getLocation() != null
                    ? "line " + j.getLocation().getLineNr() + ": " + j.getOriginalMessage() : e.getMessage();
            throw new UserError("The event (" + where + ") is not valid JSON: " + msg, "Fix the event JSON and invoke again.");
        }
        return bytes;
    }

    /** Kept so the console's {@code i} key can repeat the last invocation. */
    static void remember(Session session, String action, String event) {
        try {
            ObjectNode n = Output.JSON.createObjectNode();
            n.put("action", action);
            if (event != null && !event.equals("-")) {
                n.put("event", session.io().cwd().resolve(event).toAbsolutePath().toString());
            }
            Path dir = session.stateDir();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".last-invoke", ".tmp");
            Files.writeString(tmp, n.toString());
            Files.move(tmp, dir.resolve(LAST_INVOKE), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ignored) {
            // remembering is a convenience; the invocation itself succeeded
        }
    }
}
