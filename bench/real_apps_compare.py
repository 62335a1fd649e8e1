#!/usr/bin/env python3
"""Compares two cloud assemblies (livestack's and cdk synth's) template by template.

Usage: real_apps_compare.py LIVESTACK_OUT CDK_OUT
Every *.template.json of either assembly (nested stacks' templates included) is matched by its file
name. Before comparing, only these are dropped from each resource's Metadata (and Metadata itself when
nothing else is left in it):
  aws:cdk:path            the construct path (cdk synth --no-path-metadata drops it too)
  aws:asset:*             where an asset was staged and which property takes it
                          (aws:asset:path, aws:asset:is-bundled, aws:asset:property,
                          aws:asset:dockerfile-path, aws:asset:docker-build-*, ...)
Everything else (DependsOn, CDKMetadata, Parameters, Rules, Outputs, asset hashes in properties)
must be equal. Prints 'equal' or the first differences (JSON paths), exit 0 / 1.
"""
import json
import os
import sys


def templates(root):
    out = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            if f.endswith(".template.json"):
                rel = os.path.relpath(os.path.join(dirpath, f), root)
                with open(os.path.join(dirpath, f)) as fh:
                    out[rel] = json.load(fh)
    return out


def normalise(t):
    for res in (t.get("Resources") or {}).values():
        md = res.get("Metadata")
        if isinstance(md, dict):
            for k in list(md):
                if k == "aws:cdk:path" or k.startswith("aws:asset:"):
                    del md[k]
            if not md:
                del res["Metadata"]
    return t


def diff(a, b, path, out):
    if len(out) >= 8:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a:
                out.append(f"{path}/{k}: only in cdk synth: {json.dumps(b[k])[:200]}")
            elif k not in b:
                out.append(f"{path}/{k}: only in livestack: {json.dumps(a[k])[:200]}")
            else:
                diff(a[k], b[k], f"{path}/{k}", out)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            diff(x, y, f"{path}[{i}]", out)
    elif a != b:
        out.append(f"{path}: livestack {json.dumps(a)[:200]} != cdk synth {json.dumps(b)[:200]}")


def main():
    ls, cdk = templates(sys.argv[1]), templates(sys.argv[2])
    out = []
    for name in sorted(set(ls) | set(cdk)):
        if name not in ls:
            out.append(f"{name}: only in cdk synth")
        elif name not in cdk:
            out.append(f"{name}: only in livestack")
        else:
            diff(normalise(ls[name]), normalise(cdk[name]), name, out)
    if not ls and not cdk:
        out.append("no templates on either side")
    if out:
        print("\n".join(out[:8]))
        return 1
    print(f"equal ({len(ls)} templates)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
