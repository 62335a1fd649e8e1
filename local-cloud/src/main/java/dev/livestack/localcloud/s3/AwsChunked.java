package dev.livestack.localcloud.s3;

import dev.livestack.localcloud.core.AwsException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the {@code aws-chunked} content encoding SDKs use for streaming uploads:
 * {@code <hex-size>[;chunk-signature=…]\r\n<bytes>\r\n} repeated, a zero-size chunk, then optional
 * trailer headers (checksums). Chunk signatures are not checked; the request's seed signature is.
 */
final class AwsChunked {
    private AwsChunked() {
    }

    static byte[] decode(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
        int pos = 0;
        while (pos < body.length) {
            int lineEnd = indexOfCrlf(body, pos);
            if (lineEnd < 0) {
                throw new AwsException(400, "IncompleteBody", "The request body terminated unexpectedly");
            }
            String header = new String(body, pos, lineEnd - pos, StandardCharsets.US_ASCII);
            int semi = header.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? header : header.substring(0, semi)).trim(), 16);
            pos = lineEnd + 2;
            if (size == 0) {
                break;
            }
            if (pos + size > body.length) {
                throw new AwsException(400, "IncompleteBody", "The request body terminated unexpectedly");
            }
            out.write(body, pos, size);
            pos += size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOfCrlf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
