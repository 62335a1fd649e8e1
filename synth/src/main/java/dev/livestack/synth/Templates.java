package dev.livestack.synth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.cfntemplate.ParsedTemplate;
import dev.livestack.cfntemplate.TemplateFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads CloudFormation templates: JSON as is, YAML with the short-form intrinsic tags expanded. */
final class Templates {
    static final ObjectMapper JSON = new ObjectMapper();

    private Templates() {
    }

    /** Reads a template file; YAML when the content is not a JSON object. */
    static ObjectNode read(Path file) throws SynthException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SynthException("cannot read template " + file + ": " + e.getMessage(),
                    List.of("check that the file exists and is readable"), e);
        }
        String name = file.getFileName().toString().toLowerCase();
        boolean json = name.endsWith(".json") || text.stripLeading().startsWith("{");
        return json ? parseJson(text, file) : parseYaml(text, file);
    }

    static ObjectNode parseJson(String text, Path file) throws SynthException {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                throw new SynthException("template " + file + " is not a JSON object",
                        List.of(file + ":1: a template is a JSON object with a Resources section"));
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
            throw new SynthException("template " + file + " is not valid JSON",
                    List.of(file + ":" + line + ": " + e.getOriginalMessage()), e);
        }
    }

    static ObjectNode parseYaml(String text, Path file) throws SynthException {
        try {
            return ParsedTemplate.parse(text).root();
        } catch (TemplateFormatException e) {
            String where = e.line() > 0 ? file + ":" + e.line() + ": " : file + ": ";
            throw switch (e.kind()) {
                case NOT_WELL_FORMED -> new SynthException("template " + file + " is not valid YAML", List.of(where + e.problem()), e);
                case NOT_AN_OBJECT -> new SynthException("template " + file + " is not a YAML mapping",
                        List.of(file + ":1: a template is a mapping with a Resources section"), e);
                case INVALID -> new SynthException("template " + file + " is not a valid template", List.of(where + e.problem()), e);
            };
        }
    }
}
