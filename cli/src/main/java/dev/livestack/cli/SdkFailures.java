package dev.livestack.cli;

import dev.livestack.deployer.Deployer;
import java.net.UnknownHostException;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Turns the SDK's client-side failures into the two lines a user can act on: credentials that could not be loaded
 * and hosts that do not resolve are bad input (exit 2); an endpoint that stayed unreachable after the retries is a
 * failed run (exit 1). The SDK's own message is long and names neither the profile nor what to do.
 */
final class SdkFailures {
    private SdkFailures() {
    }

    /** The user-facing error for {@code e}, or empty when it is not a client-side SDK failure. */
    static Optional<UserError> explain(Throwable e, String profile) {
        if (Deployer.credentialsFailure(e)) {
            return Optional.of(credentials(e, profile));
        }
        UnknownHostException unknown = cause(e, UnknownHostException.class);
        if (unknown != null) {
            return Optional.of(new UserError("Cannot reach " + unknown.getMessage() + ": the host name does not resolve.",
                    "Check --endpoint-url and --region (a region's endpoint exists only for real regions), and your network's DNS.",
                    ExitCodes.BAD_INPUT, e));
        }
        SdkClientException client = cause(e, SdkClientException.class);
        if (client != null) {
            return Optional.of(new UserError("The AWS call failed before an answer came back: " + rootMessage(e),
                    "Check that the endpoint is reachable (network, proxy, --endpoint-url), then run the command again.",
                    ExitCodes.FAILED, e));
        }
        return Optional.empty();
    }

    /** The error for credentials that could not be loaded, naming the profile and the provider's own reason. */
    static UserError credentials(Throwable e, String profile) {
        String who = profile == null ? "the default profile" : "profile '" + profile + "'";
        if (cause(e, ClassNotFoundException.class) != null || cause(e, NoClassDefFoundError.class) != null
                || String.valueOf(e.getMessage()).contains("must be on the class path")) {
            // the SDK names the missing module only in an outer message; the root is a bare class name
            return new UserError("The AWS credentials of " + who + " need AWS IAM Identity Center (SSO) support, which this"
                    + " build of livestack does not include.",
                    "Add a profile whose credential_process = aws configure export-credentials --profile "
                            + (profile == null ? "default" : profile) + " --format process, and pass it with --profile.",
                    ExitCodes.BAD_INPUT, e);
        }
        String reason = rootMessage(e);
        String lower = reason.toLowerCase(java.util.Locale.ROOT);
        String todo;
        if (lower.contains("sso")) {
            todo = "Sign in again with 'aws sso login" + (profile == null ? "" : " --profile " + profile) + "', then run the command again.";
        } else if (lower.contains("process") || lower.contains("command")) {
            todo = "Fix the profile's credential_process (run it by hand to see why it fails), then run the command again.";
        } else {
            todo = "Check " + who + " in ~/.aws/config and ~/.aws/credentials ('aws sts get-caller-identity"
                    + (profile == null ? "" : " --profile " + profile) + "' shows the same problem).";
        }
        return new UserError("The AWS credentials of " + who + " could not be loaded: " + reason, todo, ExitCodes.BAD_INPUT, e);
    }

    /** The innermost message that says something, on one line. */
    static String rootMessage(Throwable e) {
        String msg = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                msg = t.getMessage();
            }
        }
        if (msg == null) {
            return e.getClass().getSimpleName();
        }
        // one line, without the SDK's "(SDK Attempt Count: n)" suffix
        return msg.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce((a, b) -> a + " " + b).orElse(msg)
                .replaceAll("\\s*\\(SDK Attempt Count: \\d+\\)", "");
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
