package dev.livestack.localcloud.lambda;

import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.ValidationErrors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How Lambda names things (a function's name, ARN or partial ARN with its qualifier, alias names) and
 * the error replies the model throws, which name a function by its ARN.
 */
final class FunctionNames {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    private static final Pattern IDENTIFIER = Pattern.compile(
            "^(?:arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\\d{12}):function:|(\\d{12}):function:)?([a-zA-Z0-9_-]+)(?::(\\$LATEST|[a-zA-Z0-9_-]+))?$");
    private static final Pattern ALIAS_NAME = Pattern.compile("(?!^[0-9]+$)([a-zA-Z0-9-_]+)");

    /** A name or ARN split into the function's name and the qualifier (a version or an alias, or null). */
    record Ref(String name, String qualifier) {
    }

    private FunctionNames() {
    }

    static Ref parse(String identifier) {
        Matcher m = IDENTIFIER.matcher(identifier == null ? "" : identifier);
        if (!m.matches()) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected("Value '" + identifier
                    + "' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                    + "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?"));
        }
        return new Ref(m.group(4), m.group(5));
    }

    /** The name CreateFunction may create: {@link #parse} accepts longer ones, as lookups do. */
    static void checkNewName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected("Value '" + name
                    + "' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64"));
        }
    }

    static void checkAliasName(String name) {
        if (!ALIAS_NAME.matcher(name).matches()) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected("Value '" + name
                    + "' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)"));
        }
    }

    static String arn(CloudContext context, String name) {
        return context.arn("lambda", "function:" + name);
    }

    static AwsException notFound(CloudContext context, String name, String qualifier) {
        return new AwsException(404, "ResourceNotFoundException",
                "Function not found: " + arn(context, name) + (qualifier == null ? "" : ":" + qualifier));
    }

    static AwsException aliasNotFound(CloudContext context, String name, String alias) {
        return new AwsException(404, "ResourceNotFoundException", "Alias not found: " + arn(context, name) + ":" + alias);
    }

    static AwsException conflict(String message) {
        return new AwsException(409, "ResourceConflictException", message);
    }

    static AwsException invalid(String message) {
        return new AwsException(400, "InvalidParameterValueException", message);
    }
}
