package dev.livestack.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileProperty;
import software.amazon.awssdk.regions.Region;

/**
 * Applies the target rules: an explicit endpoint wins; else AWS when credentials resolve; else
 * local-cloud. Credentials and region are read the way the AWS CLI reads them (environment, then the
 * shared config and credentials files for the profile); the instance-metadata service is never asked,
 * so a developer machine without credentials answers at once instead of waiting on a network timeout.
 */
final class TargetResolver {
    private final Map<String, String> env;

    TargetResolver(Map<String, String> env) {
        this.env = env;
    }

    /**
     * Decides the target.
     *
     * @param kind the --target option
     * @param endpointOption --endpoint-url, or null
     * @param profileOption --profile, or null
     * @param regionOption --region, or null
     * @param localCloud starts or finds local-cloud when the rules say so
     * @param allowLocalFallback false for {@code deploy --ci}: no credentials is then an error
     */
    Target resolve(LivestackCommand.TargetChoice kind, String endpointOption, String profileOption, String regionOption,
                   LocalCloudManager localCloud, boolean allowLocalFallback) {
        String profile = firstNonBlank(profileOption, env.get("AWS_PROFILE"));
        Optional<ProfileFile> profileFile = profileFile();
        String profileRegion = profileRegion(profileFile, profile);
        Region region = checkRegion(firstNonBlank(regionOption, env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION"),
                profileRegion, "us-east-1"), regionSource(regionOption, profileRegion));
        String endpointText = firstNonBlank(endpointOption, env.get("AWS_ENDPOINT_URL"));
        URI endpoint = endpointText == null ? null : parseEndpoint(endpointText);
        Optional<AwsCredentialsProvider> credentials = credentials(profileFile, profile);

        switch (kind) {
            case aws -> {
                AwsCredentialsProvider c = credentials.orElseThrow(() -> noCredentials(profile));
                if (endpoint != null) {
                    return new Target(Target.Kind.ENDPOINT, endpoint, region, c, "endpoint " + endpoint);
                }
                return new Target(Target.Kind.AWS, null, region, c, "AWS " + region.id());
            }
            case local -> {
                if (endpoint != null) {
                    return new Target(Target.Kind.ENDPOINT, endpoint, region,
                            credentials.orElse(localCredentials()), "local-cloud at " + endpoint);
                }
                return localCloud(localCloud);
            }
            default -> {
                if (endpoint != null) {
                    return new Target(Target.Kind.ENDPOINT, endpoint, region,
                            credentials.orElse(localCredentials()), "endpoint " + endpoint);
                }
                if (credentials.isPresent()) {
                    return new Target(Target.Kind.AWS, null, region, credentials.get(), "AWS " + region.id());
                }
                if (!allowLocalFallback) {
                    throw noCredentials(profile);
                }
                return localCloud(localCloud);
            }
        }
    }

    /** Whether credentials are set (environment, or the profile's keys, role, SSO or process); a bad profile is not. */
    boolean hasCredentials(String profileOption) {
        try {
            return credentials(profileFile(), firstNonBlank(profileOption, env.get("AWS_PROFILE"))).isPresent();
        } catch (UserError e) {
            return false;
        }
    }

    private static Target localCloud(LocalCloudManager manager) {
        LocalCloudManager.Handle handle = manager.connectOrStart();
        return new Target(Target.Kind.LOCAL_CLOUD, handle.endpoint(), Region.of(handle.region()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(handle.accessKeyId(), handle.secretAccessKey())),
                (handle.owned() ? "embedded local-cloud at " : "local-cloud at ") + handle.endpoint());
    }

    private static AwsCredentialsProvider localCredentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    }

    private static UserError noCredentials(String profile) {
        return new UserError(
                "No AWS credentials found" + (profile == null ? "" : " for profile '" + profile + "'") + ".",
                "Set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or --profile, or point at local-cloud with --endpoint-url URL.");
    }

    static URI parseEndpoint(String text) {
        try {
            URI uri = new URI(text.trim());
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new URISyntaxException(text, "not an http(s) URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new UserError("The endpoint URL '" + text + "' is not valid.",
                    "Give a full URL such as http://127.0.0.1:4566.");
        }
    }

    private Optional<AwsCredentialsProvider> credentials(Optional<ProfileFile> file, String profile) {
        String key = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (profile == null && notBlank(key) && notBlank(secret)) {
            String token = env.get("AWS_SESSION_TOKEN");
            AwsCredentials c = notBlank(token) ? AwsSessionCredentials.create(key, secret, token)
                    : AwsBasicCredentials.create(key, secret);
            return Optional.of(StaticCredentialsProvider.create(c));
        }
        if (file.isEmpty()) {
            return Optional.empty();
        }
        String name = profile == null ? "default" : profile;
        if (file.get().profile(name).isEmpty()) {
            if (profile != null) {
                throw new UserError("The AWS profile '" + profile + "' does not exist.",
                        "List your profiles with 'aws configure list-profiles', or drop --profile.");
            }
            return Optional.empty();
        }
        boolean hasKeys = file.get().profile(name).flatMap(p -> p.property(ProfileProperty.AWS_ACCESS_KEY_ID)).isPresent()
                || file.get().profile(name).flatMap(p -> p.property("sso_session")).isPresent()
                || file.get().profile(name).flatMap(p -> p.property(ProfileProperty.ROLE_ARN)).isPresent()
                || file.get().profile(name).flatMap(p -> p.property(ProfileProperty.CREDENTIAL_PROCESS)).isPresent();
        if (!hasKeys) {
            return Optional.empty();
        }
        ProfileFile pf = file.get();
        return Optional.of(ProfileCredentialsProvider.builder().profileFile(pf).profileName(name).build());
    }

    /** Where the region came from, for the message when it is not one. */
    private String regionSource(String regionOption, String profileRegion) {
        if (notBlank(regionOption)) {
            return "--region";
        }
        if (notBlank(env.get("AWS_REGION"))) {
            return "AWS_REGION";
        }
        if (notBlank(env.get("AWS_DEFAULT_REGION"))) {
            return "AWS_DEFAULT_REGION";
        }
        return notBlank(profileRegion) ? "the profile's region setting" : "the default";
    }

    /**
     * The region, when the SDK knows it: a typo such as {@code us-eest-1} would otherwise surface as an endpoint that
     * does not resolve, after the retries, far from the option that caused it.
     */
    static Region checkRegion(String id, String source) {
        Region r = Region.of(id.trim());
        if (r.metadata() != null) {
            return r;
        }
        List<String> known = Region.regions().stream().filter(k -> k.metadata() != null).map(Region::id).sorted().toList();
        int best = known.stream().mapToInt(k -> distance(k, id)).min().orElse(0);
        List<String> closest = known.stream().filter(k -> distance(k, id) == best).toList();
        throw new UserError("The region '" + id + "' (from " + source + ") is not an AWS region.",
                (best <= 3 ? "Did you mean " + String.join(" or ", closest) + "? " : "")
                        + "Pass --region with a region such as us-east-1 or eu-west-1.");
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] cur = new int[b.length() + 1];
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            prev = cur;
        }
        return prev[b.length()];
    }

    private Optional<ProfileFile> profileFile() {
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        Path credentials = Path.of(firstNonBlank(env.get("AWS_SHARED_CREDENTIALS_FILE"), home + "/.aws/credentials"));
        Path config = Path.of(firstNonBlank(env.get("AWS_CONFIG_FILE"), home + "/.aws/config"));
        if (!Files.isReadable(credentials) && !Files.isReadable(config)) {
            return Optional.empty();
        }
        ProfileFile.Aggregator agg = ProfileFile.aggregator();
        if (Files.isReadable(config)) {
            agg.addFile(parse(config, ProfileFile.Type.CONFIGURATION, "AWS_CONFIG_FILE"));
        }
        if (Files.isReadable(credentials)) {
            agg.addFile(parse(credentials, ProfileFile.Type.CREDENTIALS, "AWS_SHARED_CREDENTIALS_FILE"));
        }
        return Optional.of(agg.build());
    }

    private static ProfileFile parse(Path file, ProfileFile.Type type, String variable) {
        try {
            ProfileFile pf = ProfileFile.builder().content(file).type(type).build();
            pf.profiles(); // parsing is lazy; a syntax error must surface here, where the file is known
            return pf;
        } catch (RuntimeException e) {
            throw new UserError("The AWS " + (type == ProfileFile.Type.CONFIGURATION ? "config" : "credentials") + " file "
                    + file + " is malformed: " + SdkFailures.rootMessage(e) + ".",
                    "Fix that line (the AWS CLI reads the same file), or point " + variable + " at another file.");
        }
    }

    private static String profileRegion(Optional<ProfileFile> file, String profile) {
        return file.flatMap(f -> f.profile(profile == null ? "default" : profile))
                .flatMap(p -> p.property(ProfileProperty.REGION)).orElse(null);
    }

    static String firstNonBlank(String... values) {
        for (String v : values) {
            if (notBlank(v)) {
                return v;
            }
        }
        return null;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
