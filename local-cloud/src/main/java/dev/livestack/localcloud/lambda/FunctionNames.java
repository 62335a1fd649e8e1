package dev.livestack.localcloud.lambda;

import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.ValidationErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How Lambda names things (a function's name, ARN or partial ARN with its qualifier, alias names) and
 * the error replies the model throws, which name a function by its ARN.
 */
final class FunctionNames {
    /** The pattern Lambda's lookups (GetFunction, Invoke, DeleteFunction...) check a FunctionName against, as it prints it. */
    static final String LOOKUP_PATTERN = "(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?"
            + "(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?";
    /** CreateFunction's stricter one: no dots in names, no {@code $LATEST.PUBLISHED}. */
    static final String CREATE_PATTERN = "(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?"
            + "(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?";
    static final String QUALIFIER_PATTERN = "\\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+";
    private static final Pattern LOOKUP = Pattern.compile(LOOKUP_PATTERN);
    private static final Pattern CREATE = Pattern.compile(CREATE_PATTERN);
    private static final Pattern QUALIFIER = Pattern.compile(QUALIFIER_PATTERN);
    /** The same grammar as {@link #LOOKUP_PATTERN}, with the parts named. */
    private static final Pattern PARTS = Pattern.compile("(?:arn:(?:aws[a-zA-Z-]*)?:lambda:)?"
            + "(?<region>(?:eusc-)?[a-z]{2}(?:(?:-gov)|(?:-iso(?:[a-z]?)))?-[a-z]+-\\d{1}):?(?<account>\\d{12})?:?(?:function:)?"
            + "(?<name>[a-zA-Z0-9-_\\.]+)(?::(?<qualifier>\\$LATEST(?:\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?");
    private static final Pattern PLAIN = Pattern.compile("(?:(?<account>\\d{12}):)?(?:function:)?(?<name>[a-zA-Z0-9-_\\.]+)"
            + "(?::(?<qualifier>\\$LATEST(?:\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?");
    private static final Pattern ALIAS_NAME = Pattern.compile("(?!^[0-9]+$)([a-zA-Z0-9-_]+)");

    /**
     * A name or ARN split into the function's name and the qualifier (a version or an alias, or null), with the
     * region and account an ARN named (or null).
     */
    record Ref(String name, String qualifier, String region, String account) {
        Ref(String name, String qualifier) {
            this(name, qualifier, null, null);
        }
    }

    private FunctionNames() {
    }

    /** Splits an identifier that {@link #LOOKUP_PATTERN} (or the create pattern) accepts. */
    static Ref parse(String identifier) {
        String id = identifier == null ? "" : identifier;
        if (!LOOKUP.matcher(id).matches()) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected(
                    ValidationErrors.failure(id, "functionName", "Member must satisfy regular expression pattern: " + LOOKUP_PATTERN)));
        }
        Matcher m = PLAIN.matcher(id);
        if (!id.startsWith("arn:") && m.matches()) {
            return new Ref(m.group("name"), m.group("qualifier"), null, m.group("account"));
        }
        m = PARTS.matcher(id);
        if (m.matches()) {
            return new Ref(m.group("name"), m.group("qualifier"), m.group("region"), m.group("account"));
        }
        // an ARN with neither region nor account (arn:aws:lambda:function:name) still names a function
        Matcher plain = PLAIN.matcher(id.replaceFirst("^arn:(aws[a-zA-Z-]*)?:lambda:", ""));
        if (plain.matches()) {
            return new Ref(plain.group("name"), plain.group("qualifier"), null, plain.group("account"));
        }
        throw new AwsException(400, "ValidationException", ValidationErrors.detected(
                ValidationErrors.failure(id, "functionName", "Member must satisfy regular expression pattern: " + LOOKUP_PATTERN)));
    }

    /**
     * A lookup's FunctionName and Qualifier as Lambda checks them, in its order: the members' constraints (all
     * failures in one message), then the region of an ARN, then an ARN's qualifier against the parameter.
     */
    static Ref lookup(CloudContext context, String identifier, String qualifierParam) {
        List<String> failures = new ArrayList<>();
        String id = identifier == null ? "" : identifier;
        if (qualifierParam != null) {
            if (qualifierParam.length() > 128) {
                failures.add(ValidationErrors.failure(qualifierParam, "qualifier", "Member must have length less than or equal to 128"));
            }
            if (!QUALIFIER.matcher(qualifierParam).matches()) {
                failures.add(ValidationErrors.failure(qualifierParam, "qualifier",
                        "Member must satisfy regular expression pattern: " + QUALIFIER_PATTERN));
            }
        }
        if (!LOOKUP.matcher(id).matches()) {
            failures.add(ValidationErrors.failure(id, "functionName", "Member must satisfy regular expression pattern: " + LOOKUP_PATTERN));
        }
        if (!failures.isEmpty()) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected(failures));
        }
        Ref ref = parse(id);
        checkRegion(context, ref);
        if (qualifierParam != null && !qualifierParam.isEmpty()) {
            if (ref.qualifier() != null && !ref.qualifier().equals(qualifierParam)) {
                throw invalid("The derived qualifier from the function name does not match the specified qualifier.");
            }
            return new Ref(ref.name(), qualifierParam, ref.region(), ref.account());
        }
        return ref;
    }

    /** Another region's ARN names no function here: Lambda says so rather than looking this region's up. */
    static void checkRegion(CloudContext context, Ref ref) {
        if (ref.region() != null && !ref.region().equals(context.region())) {
            throw new AwsException(404, "ResourceNotFoundException",
                    "Functions from '" + ref.region() + "' are not reachable in this region ('" + context.region() + "')");
        }
    }

    /** CreateFunction's FunctionName checks, in Lambda's order; returns the new function's name. */
    static String checkCreate(CloudContext context, String functionName) {
        List<String> failures = new ArrayList<>();
        if (functionName.length() > 140) {
            failures.add(ValidationErrors.failure(functionName, "functionName", "Member must have length less than or equal to 140"));
        }
        if (!CREATE.matcher(functionName).matches()) {
            failures.add(ValidationErrors.failure(functionName, "functionName", "Member must satisfy regular expression pattern: "
                    + CREATE_PATTERN));
        }
        if (!failures.isEmpty()) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected(failures));
        }
        Ref ref = parse(functionName);
        checkRegion(context, ref);
        if (ref.account() != null && !ref.account().equals(context.config().accountId())) {
            // Lambda answers another account's ARN with a bare 403 whose message is null
            throw new AwsException(403, "AccessDeniedException", null);
        }
        if (ref.name().length() > 64) {
            throw invalid(ValidationErrors.detected(ValidationErrors.failure(ref.name(), "functionName",
                    "Member must have length less than or equal to 64")));
        }
        return ref.name();
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

    /** What TagResource, UntagResource and ListTags accept as a resource, as Lambda prints the pattern. */
    static final String TAG_RESOURCE_PATTERN = "arn:(aws[a-zA-Z-]*):lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:"
            + "(function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?|layer:([a-zA-Z0-9-_]+)|code-signing-config:csc-[a-z0-9]{17}|"
            + "event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|capacity-provider:[a-zA-Z0-9-_]+)";
    private static final Pattern TAG_RESOURCE = Pattern.compile(TAG_RESOURCE_PATTERN);

    /** A tagging call's resource: a function's unqualified ARN (versions and aliases carry no tags of their own). */
    static Ref taggable(CloudContext context, String arn) {
        String a = arn == null ? "" : arn;
        if (!TAG_RESOURCE.matcher(a).matches()) {
            throw new AwsException(400, "ValidationException", ValidationErrors.detected(ValidationErrors.failure(a, "resource",
                    "Member must satisfy regular expression pattern: " + TAG_RESOURCE_PATTERN)));
        }
        Ref ref = parse(a);
        checkRegion(context, ref);
        if (ref.qualifier() != null) {
            throw invalid("Tags on function aliases and versions are not supported. Please specify a function ARN.");
        }
        return ref;
    }

    /** Operations on a function as a whole (reserved concurrency) refuse a qualified name. */
    static Ref unqualified(CloudContext context, String identifier) {
        Ref ref = lookup(context, identifier, null);
        if (ref.qualifier() != null) {
            throw invalid("This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. "
                    + "Please specify either a function name or an unqualified function ARN.");
        }
        return ref;
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
