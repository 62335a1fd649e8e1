package dev.livestack.localcloud.ssm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.Http;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The AWS public parameters under {@code /aws/service/} that CDK constructs resolve at deploy time (latest Amazon Linux
 * and Windows AMIs, ECS- and EKS-optimized AMIs, Bottlerocket, the FireLens image), read-only. Their names come from
 * {@code ssm/public-parameters.txt}; each value is derived from the name and the region, so it is well-formed and stable
 * (the same AMI id for a path in a region on every run) without pretending to be the AMI AWS publishes today.
 */
final class PublicParameters {
    private static final String RESOURCE = "/ssm/public-parameters.txt";
    /** When the served values were "published": fixed, so answers do not change between runs. */
    private static final double MODIFIED = 1_763_596_800.0;  // 2025-11-20T00:00:00Z
    private static final String BUILD = "20251120";

    private final String region;
    private final TreeSet<String> names;

    PublicParameters(String region) {
        this.region = region;
        this.names = load();
    }

    private static TreeSet<String> load() {
        TreeSet<String> out = new TreeSet<>();
        try (InputStream in = PublicParameters.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from local-cloud's classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    out.add(line.trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Whether a name is in AWS's reserved space ({@code aws…} or {@code /aws…}), which no account may write. */
    static boolean reserved(String name) {
        return name.replaceFirst("^/", "").toLowerCase(Locale.ROOT).startsWith("aws");
    }

    Set<String> names() {
        return names;
    }

    /** The parameter as GetParameter renders it, or null when there is no such public parameter. */
    ObjectNode get(String name) {
        if (!names.contains(name)) {
            return null;
        }
        ObjectNode p = Http.JSON.createObjectNode();
        p.put("Name", name);
        p.put("Type", "String");
        p.put("Value", value(name));
        p.put("Version", 1 + Math.floorMod(digest("version|" + name)[0], 100));
        p.put("LastModifiedDate", MODIFIED);
        p.put("ARN", "arn:aws:ssm:" + region + "::parameter" + name);
        p.put("DataType", "text");
        return p;
    }

    /** The public parameters directly below a path, or anywhere below it when recursive. */
    List<String> under(String path, boolean recursive) {
        String prefix = path.endsWith("/") ? path : path + "/";
        List<String> out = new ArrayList<>();
        for (String n : names.tailSet(prefix)) {
            if (!n.startsWith(prefix)) {
                break;
            }
            if (recursive || n.indexOf('/', prefix.length()) < 0) {
                out.add(n);
            }
        }
        return out;
    }

    private String value(String name) {
        if (name.startsWith("/aws/service/aws-for-fluent-bit/")) {
            return "906394416424.dkr.ecr." + region + ".amazonaws.com/aws-for-fluent-bit:" + name.substring(name.lastIndexOf('/') + 1);
        }
        if (name.endsWith("/image_name")) {
            return imageName(name.substring(0, name.length() - "/image_name".length()));
        }
        if (names.contains(name + "/image_id")) {
            // ECS-optimized "recommended" parameters hold a JSON document describing the image
            ObjectNode doc = Http.JSON.createObjectNode();
            doc.put("ecs_agent_version", "1.99.0");
            if (!name.contains("Windows")) {
                doc.put("ecs_runtime_version", "Docker version 25.0.8");
            }
            doc.put("image_id", ami(name + "/image_id"));
            doc.put("image_name", imageName(name));
            doc.put("os", os(name));
            doc.put("schema_version", 1);
            return doc.toString();
        }
        return ami(name);
    }

    /** An AMI id stable per path and region: {@code ami-} and 17 hex digits. */
    private String ami(String name) {
        return "ami-" + HexFormat.of().formatHex(digest(region + "|" + name)).substring(0, 17);
    }

    private static String imageName(String recommended) {
        String arch = recommended.contains("/arm64/") ? "arm64" : "x86_64";
        String flavour = recommended.contains("/gpu/") ? "gpu-" : recommended.contains("/inf/") ? "inf-"
                : recommended.contains("/neuron/") ? "neuron-" : "";
        if (recommended.contains("Windows_Server-")) {
            return recommended.substring(recommended.lastIndexOf('/') + 1) + "-2025.11.12";
        }
        if (recommended.contains("/amazon-linux-2023/")) {
            return "al2023-ami-ecs-" + flavour + "hvm-2023.0." + BUILD + "-kernel-6.1-" + arch;
        }
        if (recommended.contains("/amazon-linux-2/")) {
            return "amzn2-ami-ecs-" + flavour + "hvm-2.0." + BUILD + "-" + arch + "-ebs";
        }
        return "amzn-ami-2018.03." + BUILD + "-amazon-ecs-optimized";
    }

    private static String os(String recommended) {
        if (recommended.contains("Windows_Server-")) {
            return "Windows Server " + recommended.replaceAll(".*Windows_Server-(\\d+)-.*", "$1");
        }
        return recommended.contains("/amazon-linux-2023/") ? "Amazon Linux 2023"
                : recommended.contains("/amazon-linux-2/") ? "Amazon Linux 2" : "Amazon Linux";
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
