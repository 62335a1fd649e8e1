package dev.livestack.localcloud.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** What a submission resolved to: template, parameter values, capabilities it needs. */
record Prepared(Template template, List<StackRecord.Param> parameters, Map<String, JsonNode> values) {
}
