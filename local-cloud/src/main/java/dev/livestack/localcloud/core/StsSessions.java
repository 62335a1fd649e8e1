package dev.livestack.localcloud.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The temporary credentials STS issued ({@code AssumeRole}), by access key id, persisted in the state
 * folder ({@code sts/sessions.json}) so they keep working after a restart. The SigV4 check asks it for
 * an issued key's session (secret, token, expiry); STS asks it who a key belongs to. Sessions expired for more than a day are
 * dropped when local-cloud starts, so the file does not grow without bound.
 */
public final class StsSessions {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final Duration KEEP_EXPIRED = Duration.ofDays(1);

    /** One issued session: its credentials and the role session they act as. */
    public record Session(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration,
                   String roleArn, String roleName, String roleId, String sessionName) {

        /**
         * {@code arn:aws:sts::<account>:assumed-role/<role name>/<session name>}; a federation token's session
         * (no role) is {@code arn:aws:sts::<account>:federated-user/<name>}.
         */
        public String arn(String account) {
            if (roleArn == null) {
                return "arn:aws:sts::" + account + ":federated-user/" + sessionName;
            }
            return "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + sessionName;
        }

        /** {@code AROA…:<session name>}, the UserId / AssumedRoleId; {@code <account>:<name>} when federated. */
        public String userId() {
            return roleId + ":" + sessionName;
        }

        public boolean expired(Instant now) {
            return !now.isBefore(expiration);
        }
    }

    private final StateStore store;
    private final Path file;
    private final Map<String, Session> sessions = new LinkedHashMap<>();

    public StsSessions(StateStore store) {
        this.store = store;
        this.file = store.folder("sts").resolve("sessions.json");
        Instant horizon = Instant.now().minus(KEEP_EXPIRED);
        List<Session> saved = store.load(file, all -> {
            List<Session> out = new ArrayList<>();
            for (JsonNode n : all) {
                out.add(new Session(n.get("AccessKeyId").asText(), n.get("SecretAccessKey").asText(),
                        n.get("SessionToken").asText(), Instant.parse(n.get("Expiration").asText()),
                        n.path("RoleArn").asText(null), n.path("RoleName").asText(null), n.get("RoleId").asText(),
                        n.get("SessionName").asText()));
            }
            return out;
        });
        if (saved != null) {
            for (Session s : saved) {
                if (s.expiration().isAfter(horizon)) {
                    sessions.put(s.accessKeyId(), s);
                }
            }
        }
    }

    /** Issues fresh credentials for a role session and remembers them. */
    public synchronized Session issue(String roleArn, String roleName, String roleId, String sessionName, Duration duration) {
        String key;
        do {
            key = "ASIA" + Ids.upper(16);
        } while (sessions.containsKey(key));
        byte[] token = new byte[264];
        RANDOM.nextBytes(token);
        // AWS's expiration has whole seconds.
        Instant expiration = Instant.now().plus(duration).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Session s = new Session(key, secret(), "IQoJb3JpZ2luX2Vj" + Base64.getEncoder().encodeToString(token), expiration,
                roleArn, roleName, roleId, sessionName);
        sessions.put(key, s);
        save();
        return s;
    }

    /** The session an access key id was issued for, expired or not; null for any other key. */
    public synchronized Session find(String accessKeyId) {
        return accessKeyId == null ? null : sessions.get(accessKeyId);
    }

    public synchronized void reset() {
        sessions.clear();
        save();
    }

    private static String secret() {
        StringBuilder b = new StringBuilder(40);
        for (int i = 0; i < 40; i++) {
            b.append(SECRET_ALPHABET.charAt(RANDOM.nextInt(SECRET_ALPHABET.length())));
        }
        return b.toString();
    }

    private void save() {
        var all = Http.JSON.createArrayNode();
        for (Session s : sessions.values()) {
            ObjectNode n = all.addObject();
            n.put("AccessKeyId", s.accessKeyId());
            n.put("SecretAccessKey", s.secretAccessKey());
            n.put("SessionToken", s.sessionToken());
            n.put("Expiration", s.expiration().toString());
            n.put("RoleArn", s.roleArn());
            n.put("RoleName", s.roleName());
            n.put("RoleId", s.roleId());
            n.put("SessionName", s.sessionName());
        }
        store.writeJson(file, all);
    }

    /**
     * A stable role id ({@code AROA} + 17) for a role ARN local-cloud did not record one for: the same role gets the
     * same id after a restart.
     */
    public static String roleId(String roleArn) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(roleArn.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
            StringBuilder b = new StringBuilder("AROA");
            for (int i = 0; i < 17; i++) {
                b.append(alphabet.charAt((hash[i] & 0xff) % alphabet.length()));
            }
            return b.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
