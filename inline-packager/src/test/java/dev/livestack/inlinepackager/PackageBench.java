package dev.livestack.inlinepackager;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Time from a saved handler file to zip bytes, as the watch loop's fast path pays it (a warm JVM): write the file,
 * {@link InlinePackager#pack}, {@link InlineCode#zip()}. Run by {@code bench/package.sh}; prints one line per case.
 * Not a test: numbers depend on the machine. "first" is the first call in this fresh JVM and includes one-time
 * class loading (Jackson for esbuild's metafile: about a second on a loaded 2-core machine), which the CLI and any
 * CDK app (jsii uses Jackson) have already paid.
 */
public final class PackageBench {
    private PackageBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        Path dir = Files.createTempDirectory("package-bench");
        InlinePackager packager = InlinePackager.create();

        Path js = dir.resolve("single-js");
        Files.createDirectories(js);
        Path py = dir.resolve("single-py");
        Files.createDirectories(py);
        Path ts = dir.resolve("bundle-ts");
        Files.createDirectories(ts.resolve("lib"));
        Files.writeString(ts.resolve("lib/total.ts"),
                "export interface Item { sku: string; quantity: number; price: number }\n"
                        + "export const total = (items: Item[]): number => items.reduce((s, i) => s + i.quantity * i.price, 0);\n");
        Files.writeString(ts.resolve("lib/check.ts"),
                "export function check(o: { orderId?: string }): string[] { return o.orderId ? [] : ['orderId is required']; }\n");

        report("single file, Node.js (as is)", 20, runs, i -> {
            Files.writeString(js.resolve("index.js"), "exports.handler = async (e) => ({ ok: true, v: " + i + " });\n");
            return packager.pack(js, "nodejs22.x").zip().length;
        });
        report("single file, Python", 20, runs, i -> {
            Files.writeString(py.resolve("index.py"), "def handler(event, context):\n    return {'ok': True, 'v': " + i + "}\n");
            return packager.pack(py, "python3.12").zip().length;
        });
        report("esbuild bundle, 3 TypeScript files", 150, Math.max(5, runs / 2), i -> {
            Files.writeString(ts.resolve("index.ts"), "import { total, Item } from './lib/total';\n"
                    + "import { check } from './lib/check';\n"
                    + "export const handler = async (e: { orderId?: string; items: Item[] }) =>\n"
                    + "  ({ errors: check(e), total: total(e.items), v: " + i + " });\n");
            return packager.pack(ts, "nodejs22.x").zip().length;
        });
        // What every synth pays for a function nobody edited: the bundle comes from the cache.
        FileTime past = FileTime.fromMillis(System.currentTimeMillis() - 10_000);
        try (var walk = Files.walk(ts)) {
            for (Path p : walk.toList()) {
                Files.setLastModifiedTime(p, past);
            }
        }
        report("esbuild bundle, unchanged (cached)", 20, runs, i -> packager.pack(ts, "nodejs22.x").zip().length);
    }

    private interface Step {
        int run(int i) throws Exception;
    }

    private static void report(String name, int targetMillis, int runs, Step step) throws Exception {
        long first = timed(step, 0);
        for (int i = 1; i <= 5; i++) {
            timed(step, i);
        }
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            nanos.add(timed(step, 100 + i));
        }
        Collections.sort(nanos);
        double p50 = nanos.get(nanos.size() / 2) / 1e6;
        System.out.printf(Locale.ROOT, "%-36s first %7.2f ms   p50 %7.2f ms   p95 %7.2f ms   (%d runs)   target p50 <= %d ms: %s%n",
                name, first / 1e6, p50, nanos.get((int) Math.ceil(nanos.size() * 0.95) - 1) / 1e6, runs, targetMillis,
                p50 <= targetMillis ? "met" : "MISSED");
    }

    private static long timed(Step step, int i) throws Exception {
        long start = System.nanoTime();
        int bytes = step.run(i);
        long elapsed = System.nanoTime() - start;
        if (bytes <= 0) {
            throw new IllegalStateException("no zip bytes");
        }
        return elapsed;
    }
}
