package dev.livestack.localcloud.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The transformations reproduce what the recordings show for hand-written responses. */
class TransformTest {
    static ObjectNode json(String s) throws Exception {
        return (ObjectNode) Botocore.JSON.readTree(s.replace('\'', '"'));
    }

    static List<Interaction> run(String recorded, String key, String actual, List<Transform> extra) throws Exception {
        ParityRun run = new ParityRun("lambda", "t.py::T::t", json(recorded));
        run.transforms(Transform.lambdaApi(), 0);
        run.transform(Transform.keyValue("CodeSha256"));
        extra.forEach(run::transform);
        run.transforms(Transform.accountRegionPartition("000000000000", "us-east-1"), ParityRun.SESSION);
        run.transforms(Transform.basic(), ParityRun.SESSION);
        run.match(key, json(actual));
        return run.finish(null);
    }

    @Test
    void namesArnsDatesAndRevisionsBecomeNumberedPlaceholders() throws Exception {
        String recorded = "{'create': {'FunctionArn': 'arn:<partition>:lambda:<region>:111111111111:function:<function-name:1>',"
                + "'FunctionName': '<function-name:1>', 'CodeSize': '<code-size>', 'CodeSha256': '<code-sha256:1>',"
                + "'LastModified': 'date', 'RevisionId': '<uuid:1>', 'Role': 'arn:<partition>:iam::111111111111:role/<resource:1>',"
                + "'ResponseMetadata': {'HTTPHeaders': {}, 'HTTPStatusCode': 201}}}";
        String actual = "{'Role': 'arn:aws:iam::000000000000:role/lambda-role', 'FunctionName': 'fn-abc',"
                + "'FunctionArn': 'arn:aws:lambda:us-east-1:000000000000:function:fn-abc', 'CodeSize': 312,"
                + "'CodeSha256': 'q1w2e3+/=', 'LastModified': '2026-12-06T00:10:11.123+0000',"
                + "'RevisionId': '0f7e1c2a-1111-4222-8333-944455556666',"
                + "'ResponseMetadata': {'HTTPHeaders': {'x-amzn-requestid': 'r'}, 'HTTPStatusCode': 201, 'RequestId': 'r'}}";
        List<Interaction> out = run(recorded, "create", actual, List.of());
        assertEquals(Interaction.Status.IDENTICAL, out.get(0).status(), out.get(0).detail());
    }

    @Test
    void aDifferentValueIsReportedWithItsPath() throws Exception {
        String recorded = "{'get': {'State': 'Active', 'ResponseMetadata': {'HTTPHeaders': {}, 'HTTPStatusCode': 200}}}";
        String actual = "{'State': 'Pending', 'ResponseMetadata': {'HTTPHeaders': {}, 'HTTPStatusCode': 200}}";
        Interaction i = run(recorded, "get", actual, List.of()).get(0);
        assertEquals(Interaction.Status.DIFFERS, i.status());
        assertTrue(i.detail().contains("$.State: expected \"Active\", got \"Pending\""), i.detail());
    }

    @Test
    void numberingFollowsFirstAppearanceAcrossKeys() throws Exception {
        ParityRun run = new ParityRun("lambda", "t.py::T::t", json("{'a': {'RevisionId': '<uuid:1>'}, 'b': {'RevisionId': '<uuid:2>',"
                + "'Other': 'x <uuid:1>'}}"));
        run.transforms(Transform.basic(), ParityRun.SESSION);
        run.match("a", json("{'RevisionId': 'aaaaaaaa-1111-4222-8333-944455556666'}"));
        run.match("b", json("{'RevisionId': 'bbbbbbbb-1111-4222-8333-944455556666', 'Other': 'x aaaaaaaa-1111-4222-8333-944455556666'}"));
        List<Interaction> out = run.finish(null);
        assertEquals(List.of(Interaction.Status.IDENTICAL, Interaction.Status.IDENTICAL), out.stream().map(Interaction::status).toList(),
                out.toString());
    }

    @Test
    void aKeyNeverReachedDiffersWithTheReason() throws Exception {
        ParityRun run = new ParityRun("lambda", "t.py::T::t", json("{'a': {'X': 1}, 'b': {'X': 2}}"));
        run.match("a", json("{'X': 1}"));
        List<Interaction> out = run.finish(new IllegalStateException("boom"));
        assertEquals(Interaction.Status.IDENTICAL, out.get(0).status());
        assertEquals(Interaction.Status.DIFFERS, out.get(1).status());
        assertTrue(out.get(1).detail().contains("boom"));
    }

    @Test
    void pythonTextEscapesNonAsciiAndSpacesSeparators() throws Exception {
        JsonNode n = json("{'a': ['é', 1, true, null]}");
        assertEquals("{\"a\": [\"\\u00e9\", 1, true, null]}", PyJson.dumps(n));
    }

    @Test
    void resourceNamesComeOutOfArnsAsTheRecordingsExtractThem() {
        assertEquals("fn", Transform.resourceName("arn:aws:lambda:us-east-1:000000000000:function:fn:$LATEST"));
        assertEquals("r1", Transform.resourceName("arn:aws:iam::000000000000:role/r1"));
        assertEquals("abc", Transform.resourceName("arn:aws:lambda:us-east-1::runtime:abc"));
        assertEquals(null, Transform.resourceName("not an arn"));
    }

    @Test
    void theLambdaSnapshotLoadsByTestId() {
        Snapshots s = Snapshots.load("tests/aws/services/lambda_/test_lambda_api.snapshot.json");
        assertTrue(s.recorded("TestLambdaFunction::test_function_lifecycle").has("create_response"));
    }
}
