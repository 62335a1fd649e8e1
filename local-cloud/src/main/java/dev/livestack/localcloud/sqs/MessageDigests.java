package dev.livestack.localcloud.sqs;

import dev.livestack.localcloud.core.ports.MessageQueues;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The MD5 digests SQS returns and SDKs check: of the body's UTF-8 bytes, and of the message attributes in SQS's
 * documented encoding (sorted by name; name, data type, a transport byte and the value, each length-prefixed).
 */
final class MessageDigests {
    private MessageDigests() {
    }

    static String body(String body) {
        return md5(body.getBytes(StandardCharsets.UTF_8));
    }

    static String attributes(Map<String, MessageQueues.Attribute> attributes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, MessageQueues.Attribute> e : new TreeMap<>(attributes).entrySet()) {
            MessageQueues.Attribute a = e.getValue();
            lengthPrefixed(out, e.getKey().getBytes(StandardCharsets.UTF_8));
            lengthPrefixed(out, a.dataType().getBytes(StandardCharsets.UTF_8));
            if (a.binaryValue() != null) {
                out.write(2);
                lengthPrefixed(out, Base64.getDecoder().decode(a.binaryValue()));
            } else {
                out.write(1);
                lengthPrefixed(out, a.stringValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        return md5(out.toByteArray());
    }

    private static void lengthPrefixed(ByteArrayOutputStream out, byte[] bytes) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
