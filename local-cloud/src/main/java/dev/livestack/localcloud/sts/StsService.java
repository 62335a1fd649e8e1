package dev.livestack.localcloud.sts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.AwsRequest;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.QueryService;
import dev.livestack.localcloud.core.SigV4;
import dev.livestack.localcloud.core.StsSessions;
import dev.livestack.localcloud.core.ValidationErrors;
import dev.livestack.localcloud.core.ports.ParameterLookup;
import dev.livestack.localcloud.core.ports.RoleDirectory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * STS (awsQuery): {@code GetCallerIdentity} and {@code AssumeRole}.
 *
 * <p>The configured credentials are the account's root user. {@code AssumeRole} issues temporary
 * credentials ({@link StsSessions}) for a role that exists in local-cloud: an {@code AWS::IAM::Role} of a
 * live stack, or a CDK bootstrap role once the bootstrap's SSM parameter is there. A request signed with
 * issued credentials is that role session: {@code GetCallerIdentity} says so, and it may assume another
 * role (role chaining). Only STS looks at who the caller is; every other service accepts any credentials
 * the SigV4 check accepts, as before.
 */
public final class StsService extends QueryService {
    private static final Pattern BOOTSTRAP_ROLE = Pattern.compile(
            "cdk-([A-Za-z0-9_-]{1,10})-(deploy|file-publishing|image-publishing|lookup|cfn-exec)-role-(\\d{12})-([a-z0-9-]+)");
    private static final String TEXT_PATTERN =
            "[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+";
    private static final Pattern TEXT = Pattern.compile(
            "[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\x{10000}-\\x{10FFFF}]+");
    private static final String SESSION_NAME_PATTERN = "[\\w+=,.@-]*";
    private static final String EXTERNAL_ID_PATTERN = "[\\w+=,.@:\\/-]*";
    private static final int DEFAULT_DURATION = 3600;
    private static final int FEDERATION_DURATION = 43200;
    /** Transitive session tag keys (lower case) by the access key of the session that carries them. */
    private final Map<String, Set<String>> transitiveKeys = new java.util.concurrent.ConcurrentHashMap<>();

    private final CloudContext context;
    private final RoleDirectory roles;
    private final ParameterLookup parameters;

    /**
     * @param roles the IAM roles stacks created
     * @param parameters SSM parameters, where a CDK bootstrap stack leaves its version
     */
    public StsService(CloudContext context, RoleDirectory roles, ParameterLookup parameters) {
        super("https://sts.amazonaws.com/doc/2011-06-15/");
        this.context = context;
        this.roles = roles;
        this.parameters = parameters;
    }

    @Override
    public String signingName() {
        return "sts";
    }

    @Override
    public void reset() {
        context.sessions().reset();
    }

    @Override
    public Map<String, Object> call(String action, Form form, AwsRequest request) {
        return switch (action) {
            case "GetCallerIdentity" -> callerIdentity(caller(request));
            case "AssumeRole" -> assumeRole(form, caller(request));
            case "GetFederationToken" -> federationToken(form);
            default -> throw new AwsException(400, "InvalidAction", "Could not find operation " + action + " for version 2011-06-15");
        };
    }

    // ---------------------------------------------------------------- who is calling

    /**
     * The role session the request was signed for, or null for the configured (root) credentials. Expired
     * credentials, or a session token that is not the one issued with the key, are refused as AWS does.
     */
    private StsSessions.Session caller(AwsRequest request) {
        StsSessions.Session s = context.sessions().find(SigV4.accessKeyId(request));
        if (s == null) {
            return null;
        }
        String token = request.header("x-amz-security-token");
        if (token == null) {
            token = request.query().get("X-Amz-Security-Token");
        }
        if (!s.sessionToken().equals(token)) {
            throw new AwsException(403, "InvalidClientTokenId", "The security token included in the request is invalid.");
        }
        if (s.expired(Instant.now())) {
            throw new AwsException(403, "ExpiredToken", "The security token included in the request is expired");
        }
        return s;
    }

    private String callerArn(StsSessions.Session caller) {
        return caller == null ? "arn:aws:iam::" + context.account() + ":root" : caller.arn(context.account());
    }

    private Map<String, Object> callerIdentity(StsSessions.Session caller) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("UserId", caller == null ? context.account() : caller.userId());
        out.put("Account", context.account());
        out.put("Arn", callerArn(caller));
        return out;
    }

    // ---------------------------------------------------------------- AssumeRole

    private Map<String, Object> assumeRole(Form form, StsSessions.Session caller) {
        String roleArn = form.get("RoleArn");
        String sessionName = form.get("RoleSessionName");
        String externalId = form.get("ExternalId");
        String durationText = form.get("DurationSeconds");
        List<String> errors = new ArrayList<>();
        if (roleArn == null) {
            errors.add(notNull("roleArn"));
        } else {
            text(errors, "roleArn", roleArn, TEXT, TEXT_PATTERN, 20, 2048);
        }
        if (sessionName == null) {
            errors.add(notNull("roleSessionName"));
        } else {
            text(errors, "roleSessionName", sessionName, Pattern.compile(SESSION_NAME_PATTERN), SESSION_NAME_PATTERN, 2, 64);
        }
        Integer duration = null;
        if (durationText != null) {
            try {
                duration = Integer.valueOf(durationText.trim());
                if (duration < 900) {
                    errors.add(constraint("durationSeconds", durationText, "Member must have value greater than or equal to 900"));
                } else if (duration > 43200) {
                    errors.add(constraint("durationSeconds", durationText, "Member must have value less than or equal to 43200"));
                }
            } catch (NumberFormatException e) {
                throw AwsException.validation("Invalid value for parameter DurationSeconds: " + durationText);
            }
        }
        if (externalId != null) {
            text(errors, "externalId", externalId, Pattern.compile(EXTERNAL_ID_PATTERN), EXTERNAL_ID_PATTERN, 2, 1224);
        }
        if (!errors.isEmpty()) {
            throw AwsException.validation(ValidationErrors.detected(errors));
        }
        Set<String> transitive = sessionTags(form, caller);
        String[] arn = roleArn.split(":", 6);
        if (arn.length < 6 || !arn[0].equals("arn") || arn[1].isEmpty() || arn[2].isEmpty() || arn[5].isEmpty()) {
            throw AwsException.validation(roleArn + " is invalid");
        }
        Role role = role(roleArn);
        if (role == null || !role.admits(externalId)) {
            throw new AwsException(403, "AccessDenied", "User: " + callerArn(caller)
                    + " is not authorized to perform: sts:AssumeRole on resource: " + roleArn);
        }
        int seconds = duration == null ? DEFAULT_DURATION : duration;
        if (caller != null && seconds > 3600) {
            throw AwsException.validation("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
        }
        if (seconds > role.maxSessionDuration()) {
            throw AwsException.validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }
        StsSessions.Session s = context.sessions().issue(roleArn, role.name(), role.id(), sessionName, Duration.ofSeconds(seconds));
        if (!transitive.isEmpty()) {
            transitiveKeys.put(s.accessKeyId(), transitive);
        }
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("AssumedRoleId", s.userId());
        user.put("Arn", s.arn(context.account()));
        Map<String, Object> credentials = new LinkedHashMap<>();
        credentials.put("AccessKeyId", s.accessKeyId());
        credentials.put("SecretAccessKey", s.secretAccessKey());
        credentials.put("SessionToken", s.sessionToken());
        credentials.put("Expiration", s.expiration());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("AssumedRoleUser", user);
        out.put("Credentials", credentials);
        return out;
    }

    /**
     * Checks the session tags and transitive tag keys of an AssumeRole, as AWS does (keys are case-insensitive);
     * answers the transitive keys (lower case) the new session passes on: its own and its caller's.
     */
    private Set<String> sessionTags(Form form, StsSessions.Session caller) {
        Set<String> keys = new HashSet<>();
        for (Map<String, String> tag : form.structs("Tags")) {
            if (!keys.add(tag.getOrDefault("Key", "").toLowerCase(Locale.ROOT))) {
                throw new AwsException(400, "InvalidParameterValue", "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
            }
        }
        Set<String> transitive = new HashSet<>();
        for (String key : form.list("TransitiveTagKeys")) {
            String lower = key.toLowerCase(Locale.ROOT);
            if (!keys.contains(lower)) {
                throw new AwsException(400, "InvalidParameterValue", "The specified transitive tag key must be included in the requested tags.");
            }
            transitive.add(lower);
        }
        Set<String> inherited = caller == null ? Set.of() : transitiveKeys.getOrDefault(caller.accessKeyId(), Set.of());
        for (String key : keys) {
            if (inherited.contains(key)) {
                throw new AwsException(400, "InvalidParameterValue", "One of the specified transitive tag keys can't be set "
                        + "because it conflicts with a transitive tag key from the calling session.");
            }
        }
        transitive.addAll(inherited);
        return transitive;
    }

    // ---------------------------------------------------------------- GetFederationToken

    private Map<String, Object> federationToken(Form form) {
        String name = form.get("Name");
        String durationText = form.get("DurationSeconds");
        List<String> errors = new ArrayList<>();
        if (name == null) {
            errors.add(notNull("name"));
        } else {
            text(errors, "name", name, Pattern.compile(SESSION_NAME_PATTERN), SESSION_NAME_PATTERN, 2, 32);
        }
        int seconds = FEDERATION_DURATION;
        if (durationText != null) {
            try {
                seconds = Integer.parseInt(durationText.trim());
            } catch (NumberFormatException e) {
                throw AwsException.validation("Invalid value for parameter DurationSeconds: " + durationText);
            }
            if (seconds < 900) {
                errors.add(constraint("durationSeconds", durationText, "Member must have value greater than or equal to 900"));
            } else if (seconds > 129600) {
                errors.add(constraint("durationSeconds", durationText, "Member must have value less than or equal to 129600"));
            }
        }
        if (!errors.isEmpty()) {
            throw AwsException.validation(ValidationErrors.detected(errors));
        }
        // a federated user's session has no role: its ARN and id are the account's federated-user/<name>
        StsSessions.Session s = context.sessions().issue(null, null, context.account(), name, Duration.ofSeconds(seconds));
        Map<String, Object> credentials = new LinkedHashMap<>();
        credentials.put("AccessKeyId", s.accessKeyId());
        credentials.put("SecretAccessKey", s.secretAccessKey());
        credentials.put("SessionToken", s.sessionToken());
        credentials.put("Expiration", s.expiration());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Credentials", credentials);
        out.put("FederatedUser", Map.of("FederatedUserId", s.userId(), "Arn", s.arn(context.account())));
        out.put("PackedPolicySize", 0);
        return out;
    }

    private static void text(List<String> errors, String member, String value, Pattern pattern, String patternText,
                             int min, int max) {
        if (!pattern.matcher(value).matches()) {
            errors.add(constraint(member, value, "Member must satisfy regular expression pattern: " + patternText));
        }
        if (value.length() < min) {
            errors.add(constraint(member, value, "Member must have length greater than or equal to " + min));
        } else if (value.length() > max) {
            errors.add(constraint(member, value, "Member must have length less than or equal to " + max));
        }
    }

    private static String constraint(String member, String value, String what) {
        return ValidationErrors.failure(value, member, what);
    }

    private static String notNull(String member) {
        return ValidationErrors.notNull(member);
    }

    // ---------------------------------------------------------------- which roles exist

    /**
     * A role that can be assumed.
     *
     * @param externalIds the {@code sts:ExternalId} values its trust policy requires, or null when it
     *     requires none
     */
    record Role(String arn, String name, String id, int maxSessionDuration, Set<String> externalIds) {
        boolean admits(String externalId) {
            return externalIds == null || (externalId != null && externalIds.contains(externalId));
        }
    }

    /** The role with this ARN: a stack's {@code AWS::IAM::Role}, or a CDK bootstrap role; null when none. */
    private Role role(String roleArn) {
        RoleDirectory.StackRole stackRole = roles.role(roleArn);
        if (stackRole != null) {
            JsonNode p = stackRole.properties();
            return new Role(roleArn, stackRole.name(), stackRole.roleId() == null ? StsSessions.roleId(roleArn) : stackRole.roleId(),
                    p == null ? DEFAULT_DURATION : p.path("MaxSessionDuration").asInt(DEFAULT_DURATION),
                    p == null ? null : externalIds(p.get("AssumeRolePolicyDocument")));
        }
        String prefix = "arn:aws:iam::" + context.account() + ":role/";
        if (roleArn.startsWith(prefix)) {
            String name = roleArn.substring(prefix.length());
            Matcher m = BOOTSTRAP_ROLE.matcher(name);
            if (m.matches() && m.group(3).equals(context.account()) && m.group(4).equals(context.region())
                    && parameters.value("/cdk-bootstrap/" + m.group(1) + "/version") != null) {
                return new Role(roleArn, name, StsSessions.roleId(roleArn), DEFAULT_DURATION, null);
            }
        }
        return null;
    }

    /**
     * The {@code sts:ExternalId} values of {@code StringEquals} conditions in the trust policy, when every
     * statement that allows {@code sts:AssumeRole} has one; null when the role can be assumed without.
     */
    static Set<String> externalIds(JsonNode policy) {
        if (policy != null && policy.isTextual()) {
            try {
                policy = Http.JSON.readTree(policy.asText());
            } catch (JsonProcessingException e) {
                return null;
            }
        }
        if (policy == null || !policy.isObject()) {
            return null;
        }
        JsonNode statements = policy.path("Statement");
        List<JsonNode> list = new ArrayList<>();
        if (statements.isArray()) {
            statements.forEach(list::add);
        } else if (statements.isObject()) {
            list.add(statements);
        }
        Set<String> ids = new HashSet<>();
        boolean anyAllows = false;
        for (JsonNode st : list) {
            if (!"Allow".equals(st.path("Effect").asText()) || !allowsAssumeRole(st.path("Action"))) {
                continue;
            }
            anyAllows = true;
            Set<String> required = stringEqualsExternalIds(st.path("Condition"));
            if (required.isEmpty()) {
                return null;
            }
            ids.addAll(required);
        }
        return anyAllows ? ids : null;
    }

    private static boolean allowsAssumeRole(JsonNode action) {
        List<String> actions = new ArrayList<>();
        if (action.isArray()) {
            action.forEach(a -> actions.add(a.asText()));
        } else if (action.isTextual()) {
            actions.add(action.asText());
        }
        return actions.stream().map(a -> a.toLowerCase(Locale.ROOT))
                .anyMatch(a -> a.equals("sts:assumerole") || a.equals("sts:*") || a.equals("*"));
    }

    private static Set<String> stringEqualsExternalIds(JsonNode condition) {
        Set<String> out = new HashSet<>();
        condition.fields().forEachRemaining(op -> {
            if (!op.getKey().equalsIgnoreCase("StringEquals")) {
                return;
            }
            op.getValue().fields().forEachRemaining(key -> {
                if (key.getKey().equalsIgnoreCase("sts:ExternalId")) {
                    if (key.getValue().isArray()) {
                        key.getValue().forEach(v -> out.add(v.asText()));
                    } else {
                        out.add(key.getValue().asText());
                    }
                }
            });
        });
        return out;
    }
}
