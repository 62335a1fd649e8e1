#!/usr/bin/env python3
"""Writes local-cloud's resource type data (src/main/resources/cloudformation/resource-types.json.gz).

Source: the AWS CDK team's @aws-cdk/aws-service-spec npm package (Apache-2.0), which compiles the
CloudFormation resource schemas AWS publishes. Get it with

    npm pack @aws-cdk/aws-service-spec@0.1.216
    tar xzf aws-cdk-aws-service-spec-0.1.216.tgz package/db.json.gz

and run  python3 local-cloud/scripts/resource-types.py package/db.json.gz

Only what local-cloud uses is kept: per type its primary identifier, ARN template, attribute names with
the kind of value each returns, and property names (required ones and those whose change replaces the resource marked), plus the ARN service name of
each CloudFormation namespace (for types whose schema has no ARN template).
"""
import collections
import gzip
import json
import os
import re
import sys

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


def main(src, out):
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
    # Namespaces without any ARN template (ElasticLoadBalancingV2) share their predecessor's service.
    namespaces = {t.split("::")[1] for t in types}
    for ns in sorted(namespaces - set(services)):
        base = re.sub(r"V\d+$", "", ns)
        if base != ns and base in services:
            services[ns] = services[base]
    data = {
        "source": "@aws-cdk/aws-service-spec " + SPEC_VERSION + " (Apache-2.0), see NOTICE",
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
    main(sys.argv[1] if len(sys.argv) > 1 else "db.json.gz",
         os.path.join(here, "..", "src", "main", "resources", "cloudformation", "resource-types.json.gz"))
