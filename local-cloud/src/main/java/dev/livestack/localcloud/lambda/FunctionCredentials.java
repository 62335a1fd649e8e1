package dev.livestack.localcloud.lambda;

import dev.livestack.localcloud.core.StsSessions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The temporary credentials a function's processes get, as Lambda gives each function a session of its execution
 * role named after the function ({@code assumed-role/<role>/<function>}). One session per function and role is kept
 * while it has more than an hour left, so that warm processes (whose environment holds the keys) stay reusable.
 */
final class FunctionCredentials {
    private static final Duration LIFETIME = Duration.ofHours(12);
    private static final Duration RENEW_BEFORE = Duration.ofHours(1);

    private final StsSessions sessions;
    private final Map<String, StsSessions.Session> issued = new HashMap<>();

    FunctionCredentials(StsSessions sessions) {
        this.sessions = sessions;
    }

    /** A live session for this function's role, reusing the last one while it is fresh and still known to STS. */
    synchronized StsSessions.Session session(String functionName, String roleArn) {
        String key = functionName + "\n" + roleArn;
        StsSessions.Session s = issued.get(key);
        if (s == null || s.expired(Instant.now().plus(RENEW_BEFORE)) || sessions.find(s.accessKeyId()) == null) {
            String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
            s = sessions.issue(roleArn, roleName, StsSessions.roleId(roleArn), functionName, LIFETIME);
            issued.put(key, s);
        }
        return s;
    }
}
