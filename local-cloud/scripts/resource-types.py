#!/usr/bin/env python3
"""Writes local-cloud's resource type data (src/main/resources/cloudformation/resource-types.json.gz).

Source: the AWS CDK team's @aws-cdk/aws-service-spec npm package (Apache-2.0), which compiles the
CloudFormation resource schemas AWS publishes. Get it with

    npm pack @aws-cdk/aws-service-spec@0.1.216
    tar xzf aws-cdk-aws-service-spec-0.1.216.tgz package/db.json.gz

and run  python3 local-cloud/scripts/resource-types.py package/db.json.gz [aws-cdk-lib-2.263.0.jar]

The aws-cdk-lib jar (default: the one in ~/.m2) is read too, so that every L1 class of the CDK version livestack
pins is covered even where the two disagree: types the spec lacks are added (attributes and properties from the
L1 class), properties and attributes only the L1 class has are added, and a property counts as required only when
both say so (a CDK app that synthesises must never fail a required-property check here).

Only what local-cloud uses is kept: per type its primary identifier, ARN template, attribute names with
the kind of value each returns, and property names (required ones and those whose change replaces the resource marked), plus the ARN service name of
each CloudFormation namespace (for types whose schema has no ARN template).
"""
import collections
import gzip
import io
import json
import os
import re
import sys
import tarfile
import zipfile

SPEC_VERSION = "0.1.216"
# Values an enum attribute most plausibly has once the resource is created.
SETTLED = ["ACTIVE", "AVAILABLE", "available", "Active", "READY", "ENABLED", "Enabled", "DEPLOYED", "CREATE_COMPLETE",
           "OPERATIONAL", "RUNNING", "SUCCEEDED", "COMPLETED", "CREATED", "IN_SERVICE", "ISSUED"]


def kind(t):
    k = t.get("type")
    if k == "string":
        allowed = t.get("allowedValues")
        if allowed:
            settled = [v for v in SETTLED if v in allowed]
            return "e:" + (settled[0] if settled else allowed[0])
        return "s"
    if k == "integer":
        return "i"
    if k == "number":
        return "n"
    if k == "boolean":
        return "b"
    if k == "array":
        return "a"
    if k in ("json", "date-time"):
        return "s"
    return "o"  # ref, map, union: an object


def service(namespace, counts):
    """The ARN service of a namespace: its own name when some ARN uses it (ECR, not ecr-public), else the most used."""
    return namespace.lower() if namespace.lower() in counts else counts.most_common(1)[0][0]


def jsii_kind(t):
    if "primitive" in t:
        return {"string": "s", "number": "n", "boolean": "b"}.get(t["primitive"], "o")
    if "collection" in t:
        return "a" if t["collection"]["kind"] == "array" else "o"
    return "o"


def cdk_l1(jar):
    """type -> (props {Name: required}, attrs {Name: kind}) of every L1 class in aws-cdk-lib's jsii assembly."""
    with zipfile.ZipFile(jar) as z:
        tgz = z.read(next(n for n in z.namelist() if n.endswith(".jsii.tgz")))
    with tarfile.open(fileobj=io.BytesIO(tgz)) as t:
        assembly = json.load(gzip.open(t.extractfile("package/.jsii.gz")))
    types = assembly["types"]
    out = {}
    for fqn, c in types.items():
        cfn = c.get("docs", {}).get("custom", {}).get("cloudformationResource")
        if not cfn or c.get("kind") != "class":
            continue
        attrs = {p["docs"]["custom"]["cloudformationAttribute"]: jsii_kind(p["type"])
                 for p in c.get("properties", []) if p.get("docs", {}).get("custom", {}).get("cloudformationAttribute")}
        props = {p["name"][0].upper() + p["name"][1:]: not p.get("optional")
                 for p in types.get(fqn + "Props", {}).get("properties", [])}
        out[cfn] = (props, attrs)
    return out


def merge(types, l1):
    for cfn, (props, attrs) in sorted(l1.items()):
        if cfn.startswith("AWS::Serverless::"):
            continue
        entry = types.get(cfn)
        if entry is None:
            entry = types[cfn] = {"id": [], "attrs": {}, "props": []}
        known = {p.lower() for p in entry["props"]}
        entry["props"] = sorted(entry["props"] + [p for p in props if p.lower() not in known])
        for name, k in attrs.items():
            entry["attrs"].setdefault(name, k)
        required_by_cdk = {p.lower() for p, req in props.items() if req}
        both = [r for r in entry.get("required", []) if r.lower() in required_by_cdk] if cfn in l1 else entry.get("required", [])
        if both:
            entry["required"] = both
        else:
            entry.pop("required", None)


def main(src, out, jar=None):
    db = json.load(gzip.open(src))
    entities = db["schema"]["resource"]["entities"]
    types = {}
    services = collections.defaultdict(collections.Counter)
    for e in sorted(entities, key=lambda x: x["cloudFormationType"]):
        cfn = e["cloudFormationType"]
        if cfn.startswith("AWS::Serverless::"):
            continue  # SAM macros: CloudFormation only accepts them through the transform
        props = e.get("properties", {})
        entry = {"id": e.get("primaryIdentifier") or []}
        if e.get("arnTemplate"):
            entry["arn"] = e["arnTemplate"]
            m = re.match(r"arn:\$\{Partition}:([^:]+):", e["arnTemplate"])
            if m:
                services[cfn.split("::")[1]][m.group(1)] += 1
        entry["attrs"] = {name: kind(a["type"]) for name, a in sorted(e.get("attributes", {}).items())}
        entry["props"] = sorted(props)
        required = sorted(n for n, p in props.items() if p.get("required"))
        if required:
            entry["required"] = required
        replace = sorted(n for n, p in props.items() if p.get("causesReplacement") == "yes")
        if replace:
            entry["replace"] = replace
        types[cfn] = entry
    if jar:
        merge(types, cdk_l1(jar))
    # Namespaces without any ARN template (ElasticLoadBalancingV2) share their predecessor's service.
    namespaces = {t.split("::")[1] for t in types}
    for ns in sorted(namespaces - set(services)):
        base = re.sub(r"V\d+$", "", ns)
        if base != ns and base in services:
            services[ns] = services[base]
    data = {
        "source": "@aws-cdk/aws-service-spec " + SPEC_VERSION + (" and aws-cdk-lib's L1 classes" if jar else "")
                  + " (Apache-2.0), see NOTICE",
        "arnServices": {ns: service(ns, c) for ns, c in sorted(services.items())},
        "types": types,
    }
    text = json.dumps(data, separators=(",", ":"), sort_keys=False).encode()
    os.makedirs(os.path.dirname(out), exist_ok=True)
    # mtime=0: the same input always gives the same bytes.
    with open(out, "wb") as f:
        with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as g:
            g.write(text)
    print(f"{len(types)} types, {len(text)} bytes, {os.path.getsize(out)} gzipped -> {out}")


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default_jar = os.path.expanduser("~/.m2/repository/software/amazon/awscdk/aws-cdk-lib/2.263.0/aws-cdk-lib-2.263.0.jar")
    main(sys.argv[1] if len(sys.argv) > 1 else "db.json.gz",
         os.path.join(here, "..", "src", "main", "resources", "cloudformation", "resource-types.json.gz"),
         sys.argv[2] if len(sys.argv) > 2 else default_jar if os.path.exists(default_jar) else None)
