#!/usr/bin/env python3
"""Writes the names of the AWS public SSM parameters local-cloud serves (src/main/resources/ssm/public-parameters.txt).

They are the /aws/service/... paths aws-cdk-lib's constructs read at deploy time (MachineImage.latestAmazonLinux*,
WindowsImage, EcsOptimizedImage, BottleRocketImage, EKS-optimized AMIs, the FireLens Fluent Bit image). The parts
that vary by enum (Windows versions, Bottlerocket variants, Kubernetes versions) are read from the aws-cdk-lib jar:

    python3 local-cloud/scripts/public-parameters.py \
        ~/.m2/repository/software/amazon/awscdk/aws-cdk-lib/2.263.0/aws-cdk-lib-2.263.0.jar

Values are not stored: local-cloud derives each from the name and the region (see ssm/PublicParameters.java).
"""
import io
import os
import re
import sys
import tarfile
import zipfile


def cdk_sources(jar):
    with zipfile.ZipFile(jar) as z:
        tgz = next(n for n in z.namelist() if n.endswith(".jsii.tgz"))
        data = z.read(tgz)
    t = tarfile.open(fileobj=io.BytesIO(data))

    def read(path):
        return t.extractfile("package/" + path).read().decode()
    return read


def names(read):
    out = []
    al = "/aws/service/ami-amazon-linux-latest/"
    for edition in ("", "minimal-"):
        for kernel in ("kernel-default", "kernel-6.1", "kernel-6.12"):
            for cpu in ("x86_64", "arm64"):
                out.append(f"{al}al2023-ami-{edition}{kernel}-{cpu}")
        for kernel in ("", "kernel-5.10-"):
            for cpu in ("x86_64", "arm64"):
                for storage in ("gp2", "ebs"):
                    out.append(f"{al}amzn2-ami-{edition}{kernel}hvm-{cpu}-{storage}")
        for virt in ("hvm", "pv"):
            for storage in ("gp2", "ebs", "s3"):
                if not (virt == "pv" and storage == "gp2"):
                    out.append(f"{al}amzn-ami-{edition}{virt}-x86_64-{storage}")
    windows = sorted(set(re.findall(r'WindowsVersion2\.[A-Z0-9_]+="([^"]+)"', read("aws-ec2/lib/windows-versions.js"))))
    out += ["/aws/service/ami-windows-latest/" + w for w in windows]
    ecs = "/aws/service/ecs/optimized-ami/"
    for generation, hardware in (("amazon-linux", ("",)), ("amazon-linux-2", ("", "gpu/", "arm64/", "inf/")),
                                 ("amazon-linux-2023", ("", "gpu/", "arm64/", "neuron/"))):
        for hw in hardware:
            base = f"{ecs}{generation}/{hw}recommended"
            out += [base, base + "/image_id", base + "/image_name"]
    for version in ("2016", "2019", "2022", "2025"):
        base = f"/aws/service/ami-windows-latest/Windows_Server-{version}-English-Full-ECS_Optimized"
        out += [base, base + "/image_id"]
    amis = read("aws-ecs/lib/amis.js")
    variants = sorted(set(re.findall(r'BottlerocketEcsVariant2\.[A-Z0-9_]+="([^"]+)"', amis)))
    kubernetes = sorted(set(re.findall(r'KubernetesVersion\.of\("([0-9.]+)"\)', read("aws-eks/lib/cluster.js"))),
                        key=lambda v: tuple(int(p) for p in v.split(".")))
    variants += ["aws-k8s-" + k for k in kubernetes]
    for variant in variants:
        for arch in ("x86_64", "arm64"):
            out.append(f"/aws/service/bottlerocket/{variant}/{arch}/latest/image_id")
    for k in kubernetes:
        for flavour in ("amazon-linux-2", "amazon-linux-2-arm64", "amazon-linux-2-gpu"):
            out.append(f"/aws/service/eks/optimized-ami/{k}/{flavour}/recommended/image_id")
    out += ["/aws/service/aws-for-fluent-bit/latest", "/aws/service/aws-for-fluent-bit/stable"]
    return sorted(set(out))


def main(jar, target):
    all_names = names(cdk_sources(jar))
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w") as f:
        f.write("# AWS public SSM parameters local-cloud serves; written by local-cloud/scripts/public-parameters.py\n")
        f.write("# from aws-cdk-lib 2.263.0's paths. One name per line.\n")
        for n in all_names:
            f.write(n + "\n")
    print(f"{len(all_names)} names -> {target}")


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    jar = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser(
        "~/.m2/repository/software/amazon/awscdk/aws-cdk-lib/2.263.0/aws-cdk-lib-2.263.0.jar")
    main(jar, os.path.join(here, "..", "src", "main", "resources", "ssm", "public-parameters.txt"))
