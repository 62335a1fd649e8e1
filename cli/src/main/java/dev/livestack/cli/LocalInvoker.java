package dev.livestack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.inlinepackager.FunctionSource;
import dev.livestack.inlinepackager.FunctionSources;
import dev.livestack.inlinepackager.InlineCode;
import dev.livestack.inlinepackager.PackagingException;
import dev.livestack.synth.StackTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code invoke --local}: packages the function's saved source exactly as a deploy would, and runs
 * its handler once in a local node / python process, with the stack's outputs (ORDERS_QUEUE_URL, …)
 * and the function's plain environment variables, so a handler can be tried before it is deployed.
 */
final class LocalInvoker {
    private LocalInvoker() {
    }

    static int invoke(Session session, String action, byte[] payload) throws IOException, InterruptedException {
        Match m = find(session, action);
        InlineCode code;
        try {
            code = session.packager().pack(m.source.path(), m.source.runtime());
        } catch (PackagingException e) {
            throw new UserError(e.getMessage(), e.hint());
        }
        Path dir = Files.createTempDirectory("livestack-invoke");
        try {
            Path handlerFile = dir.resolve(code.fileName().endsWith(".py") ? "index.py" : "index.mjs".equals(code.fileName()) ? "index.mjs" : "index.js");
            Files.writeString(handlerFile, code.source());
            Path result = dir.resolve("result.json");
            String export = m.source.handler().substring(m.source.handler().indexOf('.') + 1);
            boolean python = code.runtime().toLowerCase(Locale.ROOT).startsWith("python");
            String harness = python ? "invoke.py" : "invoke.mjs";
            Path harnessFile = dir.resolve(harness);
            try (InputStream in = LocalInvoker.class.getResourceAsStream("harness/" + harness)) {
                Files.write(harnessFile, in.readAllBytes());
            }
            String exe = Executables.find(python ? "python3" : "node", session.io().env())
                    .orElseThrow(() -> new UserError("Cannot run " + m.logicalId + " here: " + (python ? "python3" : "node")
                            + " is not on PATH.", "Install " + (python ? "Python 3 (python3)" : "Node.js (node)")
                            + " and make sure it is on PATH."));
            int timeout = m.resource.path("Properties").path("Timeout").asInt(3);
            List<String> cmd = List.of(exe, harnessFile.toString(), handlerFile.toString(), export, result.toString(),
                    m.logicalId, Integer.toString(timeout));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().putAll(environment(session, m));
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new UserError("Cannot run " + exe + " for " + m.logicalId + ": " + e.getMessage(),
                        "Install " + (python ? "Python 3 (python3)" : "Node.js (node)") + " and make sure it is on PATH.");
            }
            p.getOutputStream().write(payload);
            p.getOutputStream().close();
            String logs = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeout + 30L, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            JsonNode r = Files.exists(result) ? Output.JSON.readTree(result.toFile()) : null;
            String functionError = null;
            String body;
            if (r == null) {
                functionError = "Unhandled";
                body = "{\"errorType\":\"Runtime.ExitError\",\"errorMessage\":\"process exited with " + p.exitValue() + "\"}";
            } else if (r.has("timeout")) {
                functionError = "Unhandled";
                body = "{\"errorMessage\":\"Task timed out after " + String.format(Locale.ROOT, "%.2f", r.get("timeout").asDouble()) + " seconds\"}";
            } else if (r.has("error")) {
                functionError = "Unhandled";
                body = r.get("error").toString();
            } else {
                body = r.get("result").toString();
            }
            Invocations.printResult(session.output(), m.logicalId, "local:" + m.source.path(), functionError, body, logs);
            return functionError == null ? ExitCodes.OK : ExitCodes.FAILED;
        } finally {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private record Match(String stackName, String logicalId, JsonNode resource, FunctionSource source) {
    }

    private static Match find(Session session, String action) {
        List<Match> all = new ArrayList<>();
        for (StackTemplate t : session.templates()) {
            Map<String, FunctionSource> sources = FunctionSources.fromTemplate(t.template(), session.appDir());
            for (FunctionSource s : sources.values()) {
                JsonNode res = t.template().path("Resources").path(s.logicalId());
                all.add(new Match(t.stackName(), s.logicalId(), res, s));
            }
        }
        for (Match m : all) {
            String path = m.resource.path("Metadata").path("aws:cdk:path").asText("");
            if (m.logicalId.equals(action) || path.equals(action) || path.equals(action + "/Resource")
                    || path.endsWith("/" + action + "/Resource") || path.endsWith("/" + action)) {
                return m;
            }
        }
        for (Match m : all) {
            if (m.logicalId.toLowerCase(Locale.ROOT).startsWith(action.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new UserError("No function with inline source matches '" + action + "'.",
                "Known: " + String.join(", ", all.stream().map(Match::logicalId).toList())
                        + ". --local runs functions whose source livestack knows (declared with InlineFunction).");
    }

    private static Map<String, String> environment(Session session, Match m) {
        Map<String, String> env = new LinkedHashMap<>();
        try {
            env.putAll(StackOutputs.variables(StackOutputs.read(session.clients().cloudFormation(), List.of(m.stackName))));
        } catch (UserError notDeployed) {
            session.output().warn("The stack " + m.stackName + " is not deployed; running without its outputs.");
        }
        JsonNode vars = m.resource.path("Properties").path("Environment").path("Variables");
        if (vars instanceof ObjectNode o) {
            o.fields().forEachRemaining(e -> {
                if (e.getValue().isValueNode()) {
                    env.put(e.getKey(), e.getValue().asText());
                }
            });
        }
        env.put("AWS_LAMBDA_FUNCTION_NAME", m.logicalId);
        env.put("AWS_REGION", session.clients().target().region().id());
        env.put("LIVESTACK_LOCAL", "1");
        return env;
    }
}
