package dev.livestack.localcloud.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.Message;
import software.amazon.eventstream.MessageDecoder;

/** Our encoder checked by the decoder the AWS SDK itself uses (which verifies both CRCs). */
class LogsEventStreamTest {
    @Test
    void eventsDecodeWithTheSdksDecoder() {
        List<Message> got = new ArrayList<>();
        MessageDecoder decoder = new MessageDecoder(got::add);
        byte[] a = LogsEventStream.event("initial-response", "{}".getBytes(StandardCharsets.UTF_8));
        byte[] b = LogsEventStream.event("sessionUpdate", "{\"sessionResults\":[]}".getBytes(StandardCharsets.UTF_8));
        ByteBuffer both = ByteBuffer.allocate(a.length + b.length).put(a).put(b);
        both.flip();
        // fed in awkward pieces, as chunks arrive
        byte[] all = both.array();
        for (int i = 0; i < all.length; i += 7) {
            decoder.feed(all, i, Math.min(7, all.length - i));
        }
        assertEquals(2, got.size());
        assertEquals("event", got.get(0).getHeaders().get(":message-type").getString());
        assertEquals("initial-response", got.get(0).getHeaders().get(":event-type").getString());
        assertEquals("{}", new String(got.get(0).getPayload(), StandardCharsets.UTF_8));
        assertEquals("sessionUpdate", got.get(1).getHeaders().get(":event-type").getString());
        assertEquals("application/json", got.get(1).getHeaders().get(":content-type").getString());
    }

    @Test
    void exceptionsCarryTheirType() {
        List<Message> got = new ArrayList<>();
        new MessageDecoder(got::add).feed(LogsEventStream.exception("SessionTimeoutException",
                "{\"message\":\"over\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("exception", got.get(0).getHeaders().get(":message-type").getString());
        assertEquals("SessionTimeoutException", got.get(0).getHeaders().get(":exception-type").getString());
    }

    @Test
    void lengthsAreWhatThePreludeSays() {
        byte[] m = LogsEventStream.event("x", new byte[10]);
        ByteBuffer buf = ByteBuffer.wrap(m);
        assertEquals(m.length, buf.getInt(0));
        int headers = buf.getInt(4);
        assertEquals(m.length - 16 - headers, 10);
    }
}
