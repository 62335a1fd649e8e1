package dev.livestack.localcloud.ec2;

import dev.livestack.localcloud.core.StateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The public images DescribeImages finds in every region: Amazon Linux 2023 and 2, Ubuntu 22.04 and 24.04 and
 * Windows Server 2022, each in two releases (so "the newest" means something) and for x86_64 and arm64 where AWS
 * publishes both. Owner ids and aliases are AWS's own (amazon 137112412989, Canonical 099720109477, Windows
 * 801119661308); image ids are derived from region and name, stable across restarts as AWS's are.
 */
final class ImageCatalog {
    private record Family(String ownerId, String alias, String pattern, String description, String platform,
                          String platformDetails, boolean arm) {
    }

    private static final List<Family> FAMILIES = List.of(
            new Family("137112412989", "amazon", "al2023-ami-2023.6.%s.0-kernel-6.1-%s", "Amazon Linux 2023 AMI 2023.6.%s.0 %s HVM kernel-6.1",
                    null, "Linux/UNIX", true),
            new Family("137112412989", "amazon", "amzn2-ami-hvm-2.0.%s.0-%s-gp2", "Amazon Linux 2 AMI 2.0.%s.0 %s HVM gp2",
                    null, "Linux/UNIX", true),
            new Family("099720109477", null, "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-%2$s-server-%1$s",
                    "Canonical, Ubuntu, 22.04 LTS, %2$s jammy image build on %1$s", null, "Linux/UNIX", true),
            new Family("099720109477", null, "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-%2$s-server-%1$s",
                    "Canonical, Ubuntu, 24.04 LTS, %2$s noble image build on %1$s", null, "Linux/UNIX", true),
            new Family("801119661308", "amazon", "Windows_Server-2022-English-Full-Base-%s", "Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon%.0s",
                    "windows", "Windows", false));

    /** Two releases: the older one first; creation dates in AWS's format. */
    private static final String[][] RELEASES = {{"20241001", "2024-10-01T21:42:11.000Z"}, {"20241112", "2024-11-12T19:05:40.000Z"}};

    private ImageCatalog() {
    }

    static List<Ec2Item> images(String region) {
        List<Ec2Item> out = new ArrayList<>();
        for (Family f : FAMILIES) {
            for (String[] release : RELEASES) {
                for (String arch : f.arm() ? List.of("x86_64", "arm64") : List.of("x86_64")) {
                    out.add(image(region, f, release[0], release[1], arch));
                }
            }
        }
        return out;
    }

    private static Ec2Item image(String region, Family f, String version, String created, String arch) {
        boolean ubuntu = f.ownerId().equals("099720109477");
        String nameArch = ubuntu ? (arch.equals("x86_64") ? "amd64" : "arm64") : arch;
        String name = f.platform() != null ? String.format(f.pattern(), version.substring(0, 4) + "." + version.substring(4, 6)
                + "." + version.substring(6)) : String.format(f.pattern(), version, nameArch);
        String description = String.format(f.description(), version, nameArch);
        String id = "ami-0" + StateStore.sha256(region + "/" + name).substring(0, 16);
        String rootDevice = ubuntu ? "/dev/sda1" : f.platform() != null ? "/dev/sda1" : "/dev/xvda";
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("imageId", id);
        x.put("imageLocation", (f.alias() != null ? f.alias() : f.ownerId()) + "/" + name);
        x.put("imageState", "available");
        x.put("imageOwnerId", f.ownerId());
        x.put("creationDate", created);
        x.put("isPublic", true);
        x.put("architecture", arch);
        x.put("imageType", "machine");
        if (f.platform() != null) {
            x.put("platform", f.platform());
        }
        x.put("platformDetails", f.platformDetails());
        x.put("usageOperation", f.platform() != null ? "RunInstances:0002" : "RunInstances");
        x.put("imageOwnerAlias", f.alias());
        x.put("name", name);
        x.put("description", description);
        x.put("rootDeviceType", "ebs");
        x.put("rootDeviceName", rootDevice);
        x.put("blockDeviceMapping", List.of(Map.of("deviceName", rootDevice, "ebs", Map.of(
                "deleteOnTermination", true, "snapshotId", "snap-0" + StateStore.sha256(id + "/snap").substring(0, 16),
                "volumeSize", f.platform() != null ? 30 : 8, "volumeType", "gp3", "encrypted", false))));
        x.put("virtualizationType", "hvm");
        x.put("hypervisor", "xen");
        x.put("enaSupport", true);
        x.put("sriovNetSupport", "simple");
        x.put("bootMode", arch.equals("arm64") ? "uefi" : "uefi-preferred");
        Map<String, List<String>> fv = new LinkedHashMap<>();
        fv.put("image-id", List.of(id));
        fv.put("name", List.of(name));
        fv.put("description", List.of(description));
        fv.put("state", List.of("available"));
        fv.put("owner-id", List.of(f.ownerId()));
        fv.put("owner-alias", f.alias() == null ? List.of() : List.of(f.alias()));
        fv.put("architecture", List.of(arch));
        fv.put("image-type", List.of("machine"));
        fv.put("is-public", List.of("true"));
        fv.put("platform", f.platform() == null ? List.of() : List.of(f.platform()));
        fv.put("platform-details", List.of(f.platformDetails()));
        fv.put("root-device-type", List.of("ebs"));
        fv.put("root-device-name", List.of(rootDevice));
        fv.put("virtualization-type", List.of("hvm"));
        fv.put("hypervisor", List.of("xen"));
        fv.put("ena-support", List.of("true"));
        fv.put("creation-date", List.of(created));
        return new Ec2Item(id, x, fv);
    }

    /** Whether an image is among the owners asked for ({@code amazon}, {@code self}, an account id, …). */
    static boolean ownedBy(Ec2Item image, List<String> owners, String account) {
        if (owners.isEmpty()) {
            return true;
        }
        String ownerId = (String) image.xml().get("imageOwnerId");
        Object alias = image.xml().get("imageOwnerAlias");
        for (String o : owners) {
            if (o.equals(ownerId) || o.equals(alias) || (o.equals("self") && ownerId.equals(account))) {
                return true;
            }
        }
        return false;
    }
}
