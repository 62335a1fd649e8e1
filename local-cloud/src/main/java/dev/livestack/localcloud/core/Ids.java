package dev.livestack.localcloud.core;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Identifiers shaped like the ones AWS hands out. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

    private Ids() {
    }

    public static String upper(int length) {
        return pick(UPPER_ALNUM, length);
    }

    public static String lower(int length) {
        return pick(LOWER_ALNUM, length);
    }

    public static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String pick(String alphabet, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    /**
     * The generated names Logs and Lambda give: stack and logical id cut together to fit, then twelve random
     * characters (a different shape from {@link #generatedName}, kept as each service has always answered).
     */
    public static String trimmedGeneratedName(String stackName, String logicalId, int max) {
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder suffix = new StringBuilder(12);
        for (int i = 0; i < 12; i++) {
            suffix.append(chars.charAt(java.util.concurrent.ThreadLocalRandom.current().nextInt(chars.length())));
        }
        String head = stackName + "-" + logicalId;
        int room = max - 13;
        if (head.length() > room) {
            head = head.substring(0, room);
        }
        return head + "-" + suffix;
    }

    /**
     * A name as CloudFormation generates it for a resource without an explicit one:
     * {@code <stack>-<logicalId>-<RANDOM13>}, the first two parts shortened so the whole fits {@code max}.
     */
    public static String generatedName(String stackName, String logicalId, int max) {
        String suffix = upper(13);
        int room = max - suffix.length() - 2;
        String stack = stackName;
        String logical = logicalId;
        if (stack.length() + logical.length() > room) {
            int half = Math.max(1, room / 2);
            if (stack.length() > half && logical.length() > room - half) {
                stack = stack.substring(0, half);
                logical = logical.substring(0, room - half);
            } else if (stack.length() > half) {
                stack = stack.substring(0, Math.max(1, room - logical.length()));
            } else {
                logical = logical.substring(0, Math.max(1, room - stack.length()));
            }
        }
        return stack + "-" + logical + "-" + suffix;
    }
}
