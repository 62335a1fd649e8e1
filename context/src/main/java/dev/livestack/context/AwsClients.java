package dev.livestack.context;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The SDK clients lookups use, one set per region and lookup role, built on first use and closed with the
 * synthesizer. A query's {@code lookupRoleArn} is assumed through STS with the run's credentials, as the CDK CLI
 * does; when STS refuses it (no such role, as on a target nobody bootstrapped with a lookup role), the run's own
 * credentials are used, as the CDK CLI then does too.
 */
final class AwsClients implements AutoCloseable {
    private final LookupTarget target;
    private final Map<String, Object> clients = new ConcurrentHashMap<>();
    private final Map<String, AwsCredentialsProvider> roles = new ConcurrentHashMap<>();
    private final List<AutoCloseable> built = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    AwsClients(LookupTarget target) {
        this.target = target;
    }

    Ec2Client ec2(Query q) {
        return client("ec2", q, Ec2Client.builder());
    }

    SsmClient ssm(Query q) {
        return client("ssm", q, SsmClient.builder());
    }

    KmsClient kms(Query q) {
        return client("kms", q, KmsClient.builder());
    }

    Route53Client route53(Query q) {
        return client("route53", q, Route53Client.builder());
    }

    /** What happened to lookup roles that could not be assumed (the CDK CLI warns about those). */
    synchronized List<String> notes() {
        return List.copyOf(notes);
    }

    @SuppressWarnings("unchecked")
    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C extends AutoCloseable> C client(String service,
            Query q, B builder) {
        String region = q.region(target.defaultRegion());
        String role = q.lookupRoleArn();
        String cacheKey = service + "|" + region + "|" + role;
        synchronized (this) {
            Object existing = clients.get(cacheKey);
            if (existing != null) {
                return (C) existing;
            }
            C c = configure(builder, region, credentials(region, role, q)).build();
            built.add(c);
            clients.put(cacheKey, c);
            return c;
        }
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder, String region,
            AwsCredentialsProvider credentials) {
        builder.region(Region.of(region)).credentialsProvider(credentials)
                .overrideConfiguration(ClientOverrideConfiguration.builder().apiCallTimeout(Duration.ofSeconds(60)).build());
        if (target.endpoint() != null) {
            builder.endpointOverride(target.endpoint());
        }
        if (target.httpClient() != null) {
            builder.httpClient(target.httpClient());
        }
        return builder;
    }

    private AwsCredentialsProvider credentials(String region, String roleArn, Query q) {
        if (roleArn == null) {
            return target.credentials();
        }
        String key = region + "|" + roleArn;
        AwsCredentialsProvider cached = roles.get(key);
        if (cached != null) {
            return cached;
        }
        StsClient sts = configure(StsClient.builder(), region, target.credentials()).build();
        built.add(sts);
        StsAssumeRoleCredentialsProvider assumed = StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                .refreshRequest(r -> {
                    r.roleArn(roleArn).roleSessionName("livestack-lookup-" + ProcessHandle.current().pid());
                    if (q.text("lookupRoleExternalId") != null) {
                        r.externalId(q.text("lookupRoleExternalId"));
                    }
                })
                .build();
        AwsCredentialsProvider chosen;
        try {
            assumed.resolveCredentials();
            built.add(assumed);
            chosen = assumed;
        } catch (SdkException e) {
            assumed.close();
            notes.add("lookup role " + roleArn + " was not assumed (" + e.getMessage() + "); used the run's credentials");
            chosen = target.credentials();
        }
        roles.put(key, chosen);
        return chosen;
    }

    @Override
    public synchronized void close() {
        Closeables.closeAll(built);
        clients.clear();
        roles.clear();
    }
}
