package dev.livestack.localcloud.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.Http;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqsWireTest {
    @Test
    void queryFormsBecomeTheJsonShapes() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("Action", "SendMessageBatch");
        form.put("QueueUrl", "http://127.0.0.1:1/000000000000/q");
        form.put("SendMessageBatchRequestEntry.2.Id", "b");
        form.put("SendMessageBatchRequestEntry.2.MessageBody", "two");
        form.put("SendMessageBatchRequestEntry.1.Id", "a");
        form.put("SendMessageBatchRequestEntry.1.MessageBody", "one");
        form.put("SendMessageBatchRequestEntry.1.MessageAttribute.1.Name", "kind");
        form.put("SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType", "String");
        form.put("SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue", "x");
        form.put("Attribute.1.Name", "VisibilityTimeout");
        form.put("Attribute.1.Value", "5");
        form.put("AttributeName.1", "All");
        form.put("Tag.1.Key", "team");
        form.put("Tag.1.Value", "core");
        ObjectNode in = SqsWire.fromQuery(form);
        assertEquals("a", in.at("/Entries/0/Id").asText());
        assertEquals("two", in.at("/Entries/1/MessageBody").asText());
        assertEquals("x", in.at("/Entries/0/MessageAttributes/kind/StringValue").asText());
        assertEquals("5", in.at("/Attributes/VisibilityTimeout").asText());
        assertEquals("All", in.at("/AttributeNames/0").asText());
        assertEquals("core", in.at("/Tags/team").asText());
    }

    @Test
    void jsonOutputsBecomeFlattenedQueryXml() throws Exception {
        ObjectNode out = (ObjectNode) Http.JSON.readTree("""
                {"Messages": [{"MessageId": "m", "Body": "<b>", "Attributes": {"SentTimestamp": "1"},
                  "MessageAttributes": {"kind": {"StringValue": "x", "DataType": "String"}}}]}""");
        String xml = SqsWire.toXml("ReceiveMessage", out, "r1");
        assertTrue(xml.startsWith("<ReceiveMessageResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\">"
                + "<ReceiveMessageResult><Message><MessageId>m</MessageId><Body>&lt;b&gt;</Body>"
                + "<Attribute><Name>SentTimestamp</Name><Value>1</Value></Attribute>"
                + "<MessageAttribute><Name>kind</Name><Value><StringValue>x</StringValue><DataType>String</DataType></Value>"
                + "</MessageAttribute></Message></ReceiveMessageResult>"), xml);
        String batch = SqsWire.toXml("DeleteMessageBatch", (ObjectNode) Http.JSON.readTree(
                "{\"Successful\": [{\"Id\": \"a\"}], \"Failed\": [{\"Id\": \"b\", \"Code\": \"ReceiptHandleIsInvalid\"}]}"), "r2");
        assertTrue(batch.contains("<DeleteMessageBatchResultEntry><Id>a</Id></DeleteMessageBatchResultEntry>"
                + "<BatchResultErrorEntry><Id>b</Id><Code>ReceiptHandleIsInvalid</Code></BatchResultErrorEntry>"), batch);
        assertTrue(SqsWire.toXml("DeleteQueue", Http.JSON.createObjectNode(), "r3").indexOf("Result") < 0);
    }
}
