package dev.livestack.localcloud.core;

/**
 * Names the operation a request calls for the awsQuery and awsJson protocols; a REST service names its own routes
 * by overriding {@link AwsService#operation}.
 */
public final class Operations {
    private Operations() {
    }

    public static String of(AwsRequest request) {
        String target = request.header("x-amz-target");
        if (target != null) {
            int dot = target.lastIndexOf('.');
            return dot < 0 ? target : target.substring(dot + 1);
        }
        String contentType = request.header("content-type");
        if ("POST".equals(request.method()) && contentType != null
                && contentType.startsWith("application/x-www-form-urlencoded")) {
            String action = request.form().get("Action");
            if (action != null) {
                return action;
            }
        }
        String action = request.query().get("Action");
        if (action != null) {
            return action;
        }
        return request.method() + " " + request.path();
    }
}
