package dev.livestack.localcloud.core;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The {@code application/vnd.amazon.eventstream} framing: a prelude (total length, headers length,
 * CRC32 of those eight bytes), headers (name length, name, type 7 = string, value length, value),
 * the payload, and a CRC32 of everything before it. Only string headers are needed here.
 */
public final class LogsEventStream {
    private LogsEventStream() {
    }

    /** An {@code event} message of the given type with a JSON payload. */
    public static byte[] event(String eventType, byte[] json) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":message-type", "event");
        headers.put(":event-type", eventType);
        headers.put(":content-type", "application/json");
        return encode(headers, json);
    }

    /** An {@code event} message with any payload type (e.g. raw bytes, {@code application/octet-stream}). */
    public static byte[] event(String eventType, String contentType, byte[] payload) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":message-type", "event");
        headers.put(":event-type", eventType);
        headers.put(":content-type", contentType);
        return encode(headers, payload);
    }

    /** A modelled {@code exception} message, as AWS ends a stream with a typed error. */
    public static byte[] exception(String exceptionType, byte[] json) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":message-type", "exception");
        headers.put(":exception-type", exceptionType);
        headers.put(":content-type", "application/json");
        return encode(headers, json);
    }

    public static byte[] encode(Map<String, String> headers, byte[] payload) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        for (Map.Entry<String, String> e : headers.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] value = e.getValue().getBytes(StandardCharsets.UTF_8);
            if (name.length > 255 || value.length > 32767) {
                throw new IllegalArgumentException("header too long: " + e.getKey());
            }
            h.write(name.length);
            h.writeBytes(name);
            h.write(7);
            h.write((value.length >>> 8) & 0xff);
            h.write(value.length & 0xff);
            h.writeBytes(value);
        }
        byte[] headerBytes = h.toByteArray();
        int total = 12 + headerBytes.length + payload.length + 4;
        ByteBuffer buf = ByteBuffer.allocate(total);
        buf.putInt(total);
        buf.putInt(headerBytes.length);
        buf.putInt((int) crc(buf.array(), 0, 8));
        buf.put(headerBytes);
        buf.put(payload);
        buf.putInt((int) crc(buf.array(), 0, total - 4));
        return buf.array();
    }

    private static long crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }
}
