package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** DynamoDB through the AWS CLI and boto3 (client and resource API), run as child processes. */
class DynamoDbClientsIT {
    @RegisterExtension
    static final LocalCloudFixture cloud = new LocalCloudFixture();
    static final ObjectMapper JSON = new ObjectMapper();
    static Path work;
    static String aws;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createDirectories(cloud.state().resolve("clients"));
        aws = Files.isExecutable(Path.of("/usr/bin/aws")) ? "/usr/bin/aws" : "aws";
    }

    @Test
    void boto3ClientAndResourceApi() throws Exception {
        String python = ClientProcess.run(work, List.of("python3", "-c", "import boto3")).exit() == 0 ? "python3" : "/usr/bin/python3";
        Assumptions.assumeTrue(ClientProcess.run(work, List.of(python, "-c", "import boto3")).exit() == 0, "boto3 is not installed");
        Path script = work.resolve("dynamodb_checks.py");
        try (InputStream in = DynamoDbClientsIT.class.getResourceAsStream("/clients/dynamodb_checks.py")) {
            Files.copy(in, script);
        }
        ClientProcess.Result r = ClientProcess.run(work, List.of(python, script.toString(), cloud.endpoint().toString()));
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("delete ok"), r.out());
    }

    @Test
    void awsCliCreatesWritesQueriesPagesAndReportsConditionalFailures() throws Exception {
        Assumptions.assumeTrue(ClientProcess.run(work, List.of(aws, "--version")).exit() == 0, "the AWS CLI is not installed");
        ok(cli("dynamodb", "create-table", "--table-name", "cli-events", "--billing-mode", "PAY_PER_REQUEST",
                "--attribute-definitions", "AttributeName=stream,AttributeType=S", "AttributeName=seq,AttributeType=N",
                "--key-schema", "AttributeName=stream,KeyType=HASH", "AttributeName=seq,KeyType=RANGE"));
        // each CLI run costs seconds of Python start-up here: one batch instead of five puts
        StringBuilder puts = new StringBuilder("{\"cli-events\": [");
        for (int i = 1; i <= 5; i++) {
            puts.append(i == 1 ? "" : ",").append("{\"PutRequest\": {\"Item\": {\"stream\": {\"S\": \"s1\"}, \"seq\": {\"N\": \"")
                    .append(i).append("\"}, \"body\": {\"S\": \"event ").append(i).append("\"}}}}");
        }
        JsonNode batch = json(ok(cli("dynamodb", "batch-write-item", "--request-items", puts.append("]}").toString(), "--output", "json")));
        assertEquals(0, batch.get("UnprocessedItems").size());
        ClientProcess.Result failed = cli("dynamodb", "put-item", "--table-name", "cli-events", "--item",
                "{\"stream\": {\"S\": \"s1\"}, \"seq\": {\"N\": \"1\"}}", "--condition-expression", "attribute_not_exists(seq)");
        assertNotEquals(0, failed.exit());
        assertTrue(failed.err().contains("An error occurred (ConditionalCheckFailedException) when calling the PutItem operation: "
                + "The conditional request failed"), failed.err());

        JsonNode query = json(ok(cli("dynamodb", "query", "--table-name", "cli-events", "--key-condition-expression", "#s = :s AND seq > :n",
                "--expression-attribute-names", "{\"#s\": \"stream\"}", "--expression-attribute-values", "{\":s\": {\"S\": \"s1\"}, \":n\": {\"N\": \"2\"}}",
                "--no-scan-index-forward", "--output", "json")));
        List<String> seqs = new ArrayList<>();
        query.get("Items").forEach(i -> seqs.add(i.get("seq").get("N").asText()));
        assertEquals(List.of("5", "4", "3"), seqs);

        // --max-items pages with the CLI's NextToken over DynamoDB's LastEvaluatedKey
        JsonNode page = json(ok(cli("dynamodb", "scan", "--table-name", "cli-events", "--max-items", "2", "--page-size", "2", "--output", "json")));
        assertEquals(2, page.get("Items").size());
        String token = page.get("NextToken").asText();
        JsonNode rest = json(ok(cli("dynamodb", "scan", "--table-name", "cli-events", "--starting-token", token, "--page-size", "2", "--output", "json")));
        assertEquals(3, rest.get("Items").size());

        JsonNode updated = json(ok(cli("dynamodb", "update-item", "--table-name", "cli-events", "--key", "{\"stream\": {\"S\": \"s1\"}, \"seq\": {\"N\": \"1\"}}",
                "--update-expression", "SET #b = :b REMOVE gone", "--expression-attribute-names", "{\"#b\": \"body\"}",
                "--expression-attribute-values", "{\":b\": {\"S\": \"edited\"}}", "--return-values", "ALL_NEW", "--output", "json")));
        assertEquals("edited", updated.get("Attributes").get("body").get("S").asText());
        ClientProcess.Result missing = cli("dynamodb", "describe-table", "--table-name", "nope");
        assertTrue(missing.err().contains("(ResourceNotFoundException) when calling the DescribeTable operation: Requested resource not found: Table: nope not found"),
                missing.err());
    }

    private static String ok(ClientProcess.Result r) {
        assertEquals(0, r.exit(), r.out() + r.err());
        return r.out();
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static ClientProcess.Result cli(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(aws);
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", cloud.endpoint().toString()));
        return ClientProcess.run(work, command);
    }
}
