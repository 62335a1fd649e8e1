package dev.livestack.localcloud;

import java.util.LinkedHashMap;
import java.util.Map;

/** STS (awsQuery): who the configured credentials are. They are the account's root user. */
final class StsService extends QueryService {
    private final CloudContext context;

    StsService(CloudContext context) {
        super("https://sts.amazonaws.com/doc/2011-06-15/");
        this.context = context;
    }

    @Override
    public String signingName() {
        return "sts";
    }

    @Override
    Map<String, Object> call(String action, Form form, AwsRequest request) {
        if (!"GetCallerIdentity".equals(action)) {
            throw new AwsException(400, "InvalidAction", "Could not find operation " + action + " for version 2011-06-15");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("UserId", context.account());
        out.put("Account", context.account());
        out.put("Arn", "arn:aws:iam::" + context.account() + ":root");
        return out;
    }
}
