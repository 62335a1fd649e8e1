package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules of local-cloud: a service package reaches another service only through {@code core.ports};
 * {@code core} knows no service; only the root package (the public API and the server that wires the services)
 * sees them all. Read from the sources, so a fully qualified name in code counts as much as an import.
 */
class PackageRulesTest {
    private static final String ROOT = "dev.livestack.localcloud";
    private static final Path SOURCES = Path.of("src/main/java/dev/livestack/localcloud");
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.livestack\\.localcloud((?:\\.[a-z][a-z0-9]*)*)\\.([A-Z]\\w*)");
    private static final Pattern PUBLIC_TYPE = Pattern.compile("(?m)^public (?:final |abstract |sealed )*(?:interface|class|record|enum) ");
    private static final Set<String> SERVICES = Set.of("cloudformation", "dynamodb", "ec2", "ecr", "events", "kms", "lambda", "logs", "route53", "s3", "serverlessrepo", "sqs", "ssm", "stepfunctions", "sts");

    @Test
    void servicePackagesReachEachOtherOnlyThroughPorts() throws IOException {
        List<String> violations = violations(SOURCES);
        assertEquals(List.of(), violations, "a service package may import only .core, .core.ports and the root API");
    }

    @Test
    void everyPackageIsKnown() throws IOException {
        Set<String> found = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(SOURCES)) {
            dirs.filter(Files::isDirectory).forEach(d -> found.add(d.getFileName().toString()));
        }
        Set<String> expected = new TreeSet<>(SERVICES);
        expected.add("core");
        // A new service is a new package: add it to SERVICES so the rules cover it.
        assertEquals(expected, found);
    }

    @Test
    void theCheckSeesAViolation(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path lambda = Files.createDirectories(dir.resolve("lambda"));
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("core"));
        Files.writeString(dir.resolve("LocalCloud.java"), "package " + ROOT + ";\npublic interface LocalCloud {}\n");
        Files.writeString(dir.resolve("Server.java"), "package " + ROOT + ";\nfinal class Server {}\n");
        Files.writeString(lambda.resolve("A.java"), "package " + ROOT + ".lambda;\n"
                + "import " + ROOT + ".logs.LogsStore;\nimport " + ROOT + ".core.Http;\nimport " + ROOT + ".LocalCloud;\n"
                + "class A { Object b = new " + ROOT + ".Server(); }\n");
        Files.writeString(dir.resolve("core").resolve("C.java"), "package " + ROOT + ".core;\n"
                + "class C { " + ROOT + ".lambda.A a; }\n");
        List<String> v = violations(dir);
        assertEquals(3, v.size(), v.toString());
        assertTrue(v.get(0).contains("core/C.java") && v.get(0).contains(".lambda.A"), v.toString());
        assertTrue(v.toString().contains("lambda/A.java -> dev.livestack.localcloud.logs.LogsStore"), v.toString());
        assertTrue(v.toString().contains("lambda/A.java -> dev.livestack.localcloud.Server"), v.toString());
    }

    /** Every reference that breaks the rules, as {@code file -> referenced type}. */
    private static List<String> violations(Path sources) throws IOException {
        Set<String> rootApi = new TreeSet<>();
        try (Stream<Path> files = Files.list(sources)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                if (PUBLIC_TYPE.matcher(Files.readString(f)).find()) {
                    String name = f.getFileName().toString();
                    rootApi.add(name.substring(0, name.length() - ".java".length()));
                }
            }
        }
        List<String> out = new ArrayList<>();
        List<Path> all;
        try (Stream<Path> walk = Files.walk(sources)) {
            all = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        for (Path f : all) {
            Path rel = sources.relativize(f);
            if (rel.getNameCount() == 1) {
                continue; // the root wires the services together
            }
            String top = rel.getName(0).toString();
            String text = Files.readString(f);
            Matcher m = REFERENCE.matcher(text);
            while (m.find()) {
                if (text.lastIndexOf("package ", m.start()) == m.start() - "package ".length()) {
                    continue;
                }
                String sub = m.group(1).isEmpty() ? "" : m.group(1).substring(1);
                String first = sub.isEmpty() ? "" : sub.split("\\.")[0];
                boolean allowed = sub.isEmpty() ? rootApi.contains(m.group(2))
                        : first.equals("core") || (!top.equals("core") && first.equals(top));
                if (!allowed) {
                    out.add(rel.toString().replace('\\', '/') + " -> " + m.group(0));
                }
            }
        }
        return out;
    }
}
