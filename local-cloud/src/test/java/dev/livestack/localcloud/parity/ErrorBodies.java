package dev.livestack.localcloud.parity;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Keeps the body of each error response for {@link Botocore#error}: botocore shows every element of an S3 error
 * (BucketName, ArgumentName...), and SDK v2's S3 exceptions do not carry the raw body.
 */
final class ErrorBodies implements ExecutionInterceptor {
    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        Optional<InputStream> body = context.responseBody();
        Botocore.LAST_ERROR_BODY.remove();
        if (context.httpResponse().isSuccessful() || body.isEmpty()) {
            return body;
        }
        try (InputStream in = body.get()) {
            byte[] bytes = in.readAllBytes();
            Botocore.LAST_ERROR_BODY.set(new String(bytes, StandardCharsets.UTF_8));
            return Optional.of(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
