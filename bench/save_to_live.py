#!/usr/bin/env python3
"""save -> live, side by side: livestack watch vs cdk watch --hotswap on the sample app, one local-cloud.

For each tool (alternating, --rounds times) it starts the tool watching a copy of the sample app, then
  * K code edits: rewrites the ingest handler so it returns a new value, and measures from the file
    write until an Invoke returns that value;
  * K infra edits: adds a stack output in the app's Java code, and measures until DescribeStacks shows it.
Prints p50 / p95 per tool and the ratios; --write-docs puts the table into docs/performance.md.

--soak N (livestack only) instead makes N code edits back to back in one `livestack watch` and samples, every
--sample-every edits, the heap after a full GC of each livestack JVM (the CLI and its synth worker) and the RSS of
every node process under it (the jsii kernels); it prints the table and the drift between the first and last sample.
"""
import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import boto3
from botocore.config import Config

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "cli", "target", "livestack.jar")
CDK = os.path.join(ROOT, "tools", "node_modules", ".bin", "cdk")
STACK = "LivestackSample"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("local-cloud did not start on port %d" % port)


def copy_app(dest):
    src = os.path.join(ROOT, "sample-app")
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("target", ".livestack", "cdk.out"))
    cdk_json = os.path.join(dest, "cdk.json")
    with open(cdk_json) as f:
        cfg = json.load(f)
    # The legacy synthesizer needs no bootstrap, so the CDK CLI deploys without `cdk bootstrap`.
    cfg.setdefault("context", {})["livestack:legacySynthesizer"] = True
    with open(cdk_json, "w") as f:
        json.dump(cfg, f, indent=2)


def descendants(pid):
    """pid's process tree below it: [(pid, comm)]"""
    children = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                stat = f.read()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append((int(d), comm))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child[0])
    return out


def rss_mb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return float("nan")


def heap_after_gc_mb(pid):
    """a full GC (jcmd GC.run), then the used heap from GC.heap_info"""
    import re
    subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, text=True, timeout=60)
    info = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True, timeout=60).stdout
    # G1 prints one line for the whole heap; serial and parallel GCs one line per generation
    used = re.findall(r"total \d+K, used (\d+)K", info)
    return sum(int(u) for u in used) / 1024.0 if used else float("nan")


def memory_sample(root_pid):
    """{'cli heap': MB, 'worker heap': MB, 'node rss': MB, 'jvm rss': MB}: worker = the java processes under the CLI"""
    tree = descendants(root_pid)
    workers = [p for p, c in tree if c == "java"]
    nodes = [p for p, c in tree if c == "node"]
    return {"cli heap": heap_after_gc_mb(root_pid),
            "worker heap": sum(heap_after_gc_mb(p) for p in workers),
            "jvm rss": rss_mb(root_pid) + sum(rss_mb(p) for p in workers),
            "node rss": sum(rss_mb(p) for p in nodes),
            "workers": len(workers), "nodes": len(nodes)}


def fmt_sample(m):
    return "CLI heap %.0f MB, worker heap %.0f MB (%d JVM), JVM RSS %.0f MB, node RSS %.0f MB (%d node)" % (
        m["cli heap"], m["worker heap"], m["workers"], m["jvm rss"], m["node rss"], m["nodes"])


def percentile(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


class Tool:
    def __init__(self, name, app, endpoint, log_dir):
        self.name, self.app, self.endpoint = name, app, endpoint
        self.log = open(os.path.join(log_dir, name + ".log"), "w+")
        self.proc = None

    def env(self):
        env = dict(os.environ)
        env.update(AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_REGION="us-east-1",
                   AWS_DEFAULT_REGION="us-east-1", AWS_ENDPOINT_URL=self.endpoint, CDK_DISABLE_VERSION_CHECK="1",
                   JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION="1", NO_COLOR="1")
        return env

    def start(self):
        if self.name == "livestack":
            cmd = ["java", "-jar", JAR, "watch", "--app", self.app, "--endpoint-url", self.endpoint,
                   "--no-logs", "--output", "json"]
        else:
            # --hotswap-fallback: code edits hot-swap exactly as with --hotswap; an infra edit (a new output) can't
            # be hot-swapped, and plain --hotswap would skip it for ever, so it falls back to a full deploy.
            cmd = [CDK, "watch", "--hotswap-fallback", "--require-approval", "never", "--progress", "events", STACK]
        self.proc = subprocess.Popen(cmd, cwd=self.app, env=self.env(), stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)

    def output(self):
        self.log.flush()
        with open(self.log.name) as f:
            return f.read()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--edits", type=int, default=5, help="code edits per tool and round")
    ap.add_argument("--infra-edits", type=int, default=2, help="infra edits per tool and round")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--tools", default="livestack,cdk")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds one edit may take before it counts as failed")
    ap.add_argument("--write-docs", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (tool logs) for a look afterwards")
    ap.add_argument("--soak", type=int, default=0, help="livestack only: this many back-to-back code edits, sampling memory")
    ap.add_argument("--sample-every", type=int, default=100, help="with --soak: edits between memory samples")
    args = ap.parse_args()
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    if args.soak:
        tools = ["livestack"]
        args.rounds, args.edits, args.infra_edits = 1, args.soak, 0
    if "cdk" in tools and not os.access(CDK, os.X_OK):
        raise SystemExit("the CDK CLI is missing: run 'npm ci' in tools/ (the README's set-up does)")
    if not os.path.isfile(JAR):
        raise SystemExit("build livestack first: ./livestack --version")

    work = tempfile.mkdtemp(prefix="livestack-bench-")
    app = os.path.join(work, "app")
    copy_app(app)
    port = free_port()
    endpoint = "http://127.0.0.1:%d" % port
    cloud_log = open(os.path.join(work, "local-cloud.log"), "w")
    cloud = subprocess.Popen(["java", "-jar", JAR, "local-cloud", "start", "--port", str(port),
                              "--state-dir", os.path.join(work, "state")], stdout=cloud_log, stderr=subprocess.STDOUT,
                             start_new_session=True)
    wait_port(port)
    session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
    cfg = Config(retries={"max_attempts": 1}, connect_timeout=5, read_timeout=60)
    lam = session.client("lambda", endpoint_url=endpoint, config=cfg)
    cfn = session.client("cloudformation", endpoint_url=endpoint, config=cfg)
    handler = os.path.join(app, "functions", "ingest", "index.js")
    stack_java = os.path.join(app, "src", "main", "java", "dev", "livestack", "sample", "OrderPipelineStack.java")
    results = {t: {"code": [], "infra": [], "failed": 0} for t in tools}
    samples = []

    def ingest_name():
        for r in cfn.describe_stack_resources(StackName=STACK)["StackResources"]:
            if r["ResourceType"] == "AWS::Lambda::Function" and r["LogicalResourceId"].startswith("Ingest"):
                return r["PhysicalResourceId"]
        return None

    def stack_ready():
        try:
            s = cfn.describe_stacks(StackName=STACK)["Stacks"][0]["StackStatus"]
            return s.endswith("_COMPLETE") and "ROLLBACK" not in s and "IN_PROGRESS" not in s
        except Exception:
            return False

    def outputs():
        try:
            return {o["OutputKey"] for o in cfn.describe_stacks(StackName=STACK)["Stacks"][0].get("Outputs", [])}
        except Exception:
            return set()

    try:
        for rnd in range(args.rounds):
            order = tools if rnd % 2 == 0 else list(reversed(tools))
            for name in order:
                tool = Tool(name, app, endpoint, work)
                tool.start()
                ready_deadline = time.time() + 900
                ready_text = '"watch.ready"' if name == "livestack" else "Deployment time"
                while ready_text not in tool.output():
                    if tool.proc.poll() is not None or time.time() > ready_deadline:
                        sys.stderr.write(tool.output()[-4000:])
                        raise SystemExit("%s did not get ready" % name)
                    time.sleep(0.5)
                while not stack_ready():
                    time.sleep(0.5)
                time.sleep(3)  # both tools: let the first deploy's follow-up work settle
                fn = ingest_name()
                for i in range(args.edits):
                    if args.soak and i % args.sample_every == 0:
                        samples.append((i, memory_sample(tool.proc.pid)))
                        print("after %4d edits: %s" % (i, fmt_sample(samples[-1][1])), flush=True)
                    value = "%s-%d-%d-%06d" % (name, rnd, i, random.randrange(10 ** 6))
                    with open(handler) as f:
                        src = f.read()
                    import re
                    src = re.sub(r"const VERSION = '[^']*';", "const VERSION = '%s';" % value, src)
                    t0 = time.monotonic()
                    with open(handler, "w") as f:
                        f.write(src)
                    ok = False
                    while time.monotonic() - t0 < args.timeout:
                        try:
                            body = json.loads(lam.invoke(FunctionName=fn, Payload=b'{"orderId":"o-bench1","customer":"b","items":[{"sku":"s","quantity":1,"price":1}]}')["Payload"].read())
                            if isinstance(body, dict) and body.get("version") == value:
                                ok = True
                                break
                        except Exception:
                            pass
                        time.sleep(0.01)
                    if ok:
                        results[name]["code"].append(time.monotonic() - t0)
                    else:
                        results[name]["failed"] += 1
                    time.sleep(0.5 if args.soak else 2)
                if args.soak:
                    time.sleep(2)
                    samples.append((args.edits, memory_sample(tool.proc.pid)))
                    print("after %4d edits: %s" % (args.edits, fmt_sample(samples[-1][1])), flush=True)
                for i in range(args.infra_edits):
                    key = "Bench%s%d%d%06d" % (name.capitalize(), rnd, i, random.randrange(10 ** 6))
                    with open(stack_java) as f:
                        src = f.read()
                    line = "        super(scope, id, props);\n"
                    src = src.replace(line, line + '        new software.amazon.awscdk.CfnOutput(this, "%s", '
                                      'software.amazon.awscdk.CfnOutputProps.builder().value("%s").build());\n' % (key, key), 1)
                    t0 = time.monotonic()
                    with open(stack_java, "w") as f:
                        f.write(src)
                    ok = False
                    while time.monotonic() - t0 < args.timeout:
                        if key in outputs():
                            ok = True
                            break
                        time.sleep(0.05)
                    if ok:
                        results[name]["infra"].append(time.monotonic() - t0)
                    else:
                        results[name]["failed"] += 1
                    while not stack_ready():
                        time.sleep(0.2)
                    time.sleep(3)
                tool.stop()
    finally:
        os.killpg(cloud.pid, signal.SIGTERM)
        cloud.wait()

    rows = []
    for name in tools:
        r = results[name]
        rows.append((name, len(r["code"]), percentile(r["code"], 50), percentile(r["code"], 95),
                     len(r["infra"]), percentile(r["infra"], 50), percentile(r["infra"], 95), r["failed"]))
    lines = ["| tool | code edits | code p50 | code p95 | infra edits | infra p50 | infra p95 | failed |",
             "|---|---|---|---|---|---|---|---|"]
    for n, cn, c50, c95, inn, i50, i95, failed in rows:
        lines.append("| %s | %d | %.0f ms | %.0f ms | %d | %.1f s | %.1f s | %d |" % (n, cn, c50 * 1000, c95 * 1000, inn, i50, i95, failed))
    if "livestack" in tools and "cdk" in tools:
        ls, ck = results["livestack"], results["cdk"]
        cr = percentile(ck["code"], 50) / percentile(ls["code"], 50) if ls["code"] and ck["code"] else float("nan")
        ir = percentile(ck["infra"], 50) / percentile(ls["infra"], 50) if ls["infra"] and ck["infra"] else float("nan")
        lines.append("")
        lines.append("ratio (cdk watch --hotswap-fallback p50 / livestack p50): code edit %.1fx, infra edit %.1fx" % (cr, ir))
    if samples:
        lines.append("")
        lines.append("| after edits | CLI heap after GC | synth worker heap after GC | JVM RSS | node RSS |")
        lines.append("|---|---|---|---|---|")
        for n, m in samples:
            lines.append("| %d | %.0f MB | %.0f MB | %.0f MB | %.0f MB |" % (n, m["cli heap"], m["worker heap"], m["jvm rss"], m["node rss"]))
        # A runtime being prepared in the background (the next synth runtime, before a recycle) doubles the
        # worker figures for that sample; flatness is judged over the samples that saw one runtime, after warm-up.
        steady = [(n, m) for n, m in samples[1:] if m["workers"] == 1] or samples
        lines.append("")
        lines.append("samples with a spare runtime being prepared: %s" % (
            ", ".join(str(n) for n, m in samples if m["workers"] > 1) or "none"))
        parts = []
        for k in ("cli heap", "worker heap", "jvm rss", "node rss"):
            vals = [m[k] for _, m in steady]
            mean = sum(vals) / len(vals)
            if mean:
                parts.append("%s %.0f-%.0f MB (±%.1f %% of the mean)" % (k, min(vals), max(vals), 100.0 * max(abs(v - mean) for v in vals) / mean))
        lines.append("steady samples (%s edits): %s" % (", ".join(str(n) for n, _ in steady), "; ".join(parts)))
    table = "\n".join(lines)
    print(table)
    if args.write_docs:
        machine = "%d cores, %s" % (os.cpu_count(), subprocess.run(["uname", "-srm"], capture_output=True, text=True).stdout.strip())
        mark = "save-to-live-soak" if args.soak else "save-to-live"
        load = open("/proc/loadavg").read().split()[:3]
        block = ("<!-- %s:start -->\nMeasured %s on %s (load average at the end %s) with `bench/save-to-live.sh %s`:\n\n%s\n<!-- %s:end -->"
                 % (mark, time.strftime("%Y-%m-%d"), machine, " ".join(load),
                    " ".join(sys.argv[1:]).replace("--write-docs", "").strip(), table, mark))
        doc = os.path.join(ROOT, "docs", "performance.md")
        text = open(doc).read() if os.path.exists(doc) else "# Performance\n"
        import re as _re
        if "<!-- %s:start -->" % mark in text:
            text = _re.sub(r"<!-- %s:start -->.*?<!-- %s:end -->" % (mark, mark), lambda m: block, text, flags=_re.S)
        else:
            text = text.rstrip() + "\n\n## %s\n\n" % ("Memory over a 1,000-edit soak" if args.soak else "Save to live") + block + "\n"
        with open(doc, "w") as f:
            f.write(text)
    if args.keep:
        print("work folder kept: " + work)
    else:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
