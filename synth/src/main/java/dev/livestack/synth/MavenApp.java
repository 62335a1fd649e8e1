package dev.livestack.synth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What the warm synthesizer needs to know about a Maven Java CDK app: its dependency classpath
 * (resolved once by Maven, cached under {@code .livestack/}, redone when {@code pom.xml}
 * changes), its source and resource folders and its main class.
 */
final class MavenApp {
    /** Pinned so the goal resolves the same way whatever plugin versions the app's pom declares. */
    static final String DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.7.1";

    private final Path dir;
    private final Path root;
    private final Map<String, String> environment;

    private final Path sourceDir;

    MavenApp(Path dir, Map<String, String> environment) {
        this(dir, dir, environment);
    }

    /**
     * {@code dir} is the module holding the app; {@code root} the folder of {@code cdk.json}, whose
     * {@code .livestack/} holds the state and whose {@code pom.xml} (a multi-module build's parent)
     * is part of the classpath's stamp.
     */
    MavenApp(Path dir, Path root, Map<String, String> environment) {
        this.dir = dir;
        this.root = root;
        this.environment = environment;
        Path src = dir.resolve("src/main/java");
        try {
            Element build = child(parse(dir.resolve("pom.xml")).getDocumentElement(), "build");
            Element sd = build == null ? null : child(build, "sourceDirectory");
            if (sd != null && !sd.getTextContent().isBlank() && !sd.getTextContent().contains("${")) {
                src = dir.resolve(sd.getTextContent().strip()).normalize();
            }
        } catch (SynthException e) {
            // reported by whoever needs the pom next, with its message
        }
        this.sourceDir = src;
    }

    /**
     * Why the warm synthesizer cannot run this app (then the {@code app} command runs instead),
     * or null when it can: no module holding the app, an app module that needs a sibling module
     * (Maven resolves those only in a reactor build), or no findable main class.
     */
    static String notWarmBecause(Path dir, String appCommand) {
        try {
            Path module = appModule(dir, appCommand);
            if (module == null) {
                return "pom.xml is a multi-module build and no single module holds the app"
                        + " (name it with -pl MODULE in the app command)";
            }
            String sibling = siblingDependency(dir, module);
            if (sibling != null) {
                return "the app module " + dir.relativize(module) + " depends on the reactor module " + sibling;
            }
            new MavenApp(module, Map.of()).mainClass(appCommand);
            return null;
        } catch (SynthException e) {
            return e.getMessage();
        }
    }

    /**
     * The folder of the Maven module that holds the app: {@code dir} for a single-module build; in a
     * multi-module build the module named by {@code -pl}/{@code --projects} in the app command (as
     * {@code mvn exec:java -pl cdk} runs it), else the one module whose pom names an exec main class
     * or whose sources hold the {@code -Dexec.mainClass} class; null when none or several do.
     */
    static Path appModule(Path dir, String appCommand) throws SynthException {
        List<String> modules = modules(parse(dir.resolve("pom.xml")).getDocumentElement());
        if (modules.isEmpty()) {
            return dir;
        }
        Matcher pl = Pattern.compile("(?:^|\\s)(?:-pl|--projects)[\\s=]+([^\\s,]+)(?=\\s|$)").matcher(appCommand);
        if (pl.find()) {
            Path m = dir.resolve(pl.group(1).replaceFirst("^:", "")).normalize();
            return isLeafModule(m) ? m : null;
        }
        Matcher mc = Pattern.compile("-Dexec\\.mainClass=([\\w.$]+)").matcher(appCommand);
        List<Path> holders = new ArrayList<>();
        for (String name : modules) {
            Path m = dir.resolve(name).normalize();
            if (!isLeafModule(m)) {
                continue;
            }
            boolean holds = mc.find(0)
                    ? Files.isRegularFile(new MavenApp(m, Map.of()).sourceDir().resolve(mc.group(1).replace('.', '/') + ".java"))
                    : mainClassFromPom(m.resolve("pom.xml")) != null;
            if (holds) {
                holders.add(m);
            }
        }
        return holders.size() == 1 ? holders.get(0) : null;
    }

    private static boolean isLeafModule(Path m) throws SynthException {
        return Files.isRegularFile(m.resolve("pom.xml")) && modules(parse(m.resolve("pom.xml")).getDocumentElement()).isEmpty();
    }

    private static List<String> modules(Element project) {
        Element modules = child(project, "modules");
        List<String> out = new ArrayList<>();
        if (modules != null) {
            for (Node n = modules.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals("module")) {
                    out.add(e.getTextContent().strip());
                }
            }
        }
        return out;
    }

    /** The artifactId of a sibling module the app module depends on, or null. */
    private static String siblingDependency(Path root, Path module) throws SynthException {
        if (module.equals(root)) {
            return null;
        }
        List<String> siblings = new ArrayList<>();
        for (String name : modules(parse(root.resolve("pom.xml")).getDocumentElement())) {
            Path pom = root.resolve(name).resolve("pom.xml");
            if (Files.isRegularFile(pom)) {
                Element a = child(parse(pom).getDocumentElement(), "artifactId");
                if (a != null) {
                    siblings.add(a.getTextContent().strip());
                }
            }
        }
        Element deps = child(parse(module.resolve("pom.xml")).getDocumentElement(), "dependencies");
        if (deps != null) {
            for (Node n = deps.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element d && child(d, "artifactId") != null
                        && siblings.contains(child(d, "artifactId").getTextContent().strip())) {
                    return child(d, "artifactId").getTextContent().strip();
                }
            }
        }
        return null;
    }

    Path stateDir() {
        return root.resolve(".livestack");
    }

    Path sourceDir() {
        return sourceDir;
    }

    Path resourceDir() {
        return dir.resolve("src/main/resources");
    }

    Path classesDir() {
        return stateDir().resolve("classes");
    }

    String pomHash() throws SynthException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(Files.readAllBytes(dir.resolve("pom.xml")));
            if (!root.equals(dir) && Files.isRegularFile(root.resolve("pom.xml"))) {
                md.update(Files.readAllBytes(root.resolve("pom.xml")));
            }
            byte[] d = md.digest();
            return HexFormat.of().formatHex(d);
        } catch (IOException e) {
            throw new SynthException("cannot read " + dir.resolve("pom.xml") + ": " + e.getMessage(), List.of(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The app's runtime dependency classpath, from the cache when {@code pom.xml} is unchanged,
     * else from {@code mvn dependency:build-classpath}.
     */
    synchronized List<Path> dependencyClasspath() throws SynthException {
        Path cache = stateDir().resolve("classpath.txt");
        Path stamp = stateDir().resolve("classpath.pom.sha256");
        String hash = pomHash();
        try {
            if (Files.isRegularFile(cache) && Files.isRegularFile(stamp)
                    && Files.readString(stamp).strip().equals(hash)) {
                List<Path> cached = parse(Files.readString(cache));
                if (cached.stream().allMatch(Files::exists)) {
                    return cached;
                }
            }
            Files.createDirectories(stateDir());
            Path tmp = stateDir().resolve("classpath.txt.tmp");
            Files.deleteIfExists(tmp);
            runMaven(List.of("-B", "-q", DEPENDENCY_PLUGIN + ":build-classpath",
                    "-Dmdep.outputFile=" + tmp, "-Dmdep.includeScope=runtime"));
            if (!Files.isRegularFile(tmp)) {
                throw new SynthException("Maven wrote no classpath for " + dir, List.of("run 'mvn dependency:build-classpath' in " + dir + " to see why"));
            }
            String text = Files.readString(tmp);
            Files.move(tmp, cache, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(stamp, hash);
            return parse(text);
        } catch (IOException e) {
            throw new SynthException("cannot cache the app's classpath under " + stateDir() + ": " + e.getMessage(), List.of(), e);
        }
    }

    private static List<Path> parse(String text) {
        List<Path> out = new ArrayList<>();
        for (String s : text.strip().split(java.io.File.pathSeparator)) {
            if (!s.isBlank()) {
                out.add(Path.of(s.strip()));
            }
        }
        return out;
    }

    private void runMaven(List<String> args) throws SynthException {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "exec mvn \"$@\"", "mvn"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(environment);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            }
            int exit = p.waitFor();
            if (exit != 0) {
                List<String> lines = new ArrayList<>(Arrays.asList(out.toString(StandardCharsets.UTF_8).split("\\R")));
                List<String> errors = lines.stream().filter(l -> l.contains("ERROR")).limit(20).toList();
                throw new SynthException("Maven could not resolve the app's dependencies (exit " + exit + ")",
                        errors.isEmpty() ? lines.subList(Math.max(0, lines.size() - 20), lines.size()) : errors);
            }
        } catch (IOException e) {
            throw new SynthException("cannot run mvn: " + e.getMessage(),
                    List.of("install Maven or put it on the PATH given to livestack"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SynthException("interrupted while resolving the classpath", List.of(), e);
        }
    }

    /**
     * The app's main class: the exec plugin's {@code mainClass} in {@code pom.xml}, else
     * {@code -Dexec.mainClass=} in the {@code app} command.
     */
    String mainClass(String appCommand) throws SynthException {
        Matcher m = Pattern.compile("-Dexec\\.mainClass=([\\w.$]+)").matcher(appCommand);
        if (m.find()) {
            return m.group(1);
        }
        String fromPom = mainClassFromPom(dir.resolve("pom.xml"));
        if (fromPom != null) {
            return fromPom;
        }
        throw new SynthException("cannot find the app's main class",
                List.of("set <mainClass> in the exec-maven-plugin configuration of pom.xml (as 'cdk init' does)"));
    }

    private static Document parse(Path pom) throws SynthException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(pom.toFile());
        } catch (Exception e) {
            throw new SynthException(pom + " is not valid XML: " + e.getMessage(), List.of(), e);
        }
    }

    static String mainClassFromPom(Path pom) throws SynthException {
        Document doc = parse(pom);
        Element project = doc.getDocumentElement();
        Map<String, String> props = new java.util.HashMap<>();
        Element properties = child(project, "properties");
        if (properties != null) {
            NodeList nl = properties.getChildNodes();
            for (int i = 0; i < nl.getLength(); i++) {
                if (nl.item(i) instanceof Element e) {
                    props.put(e.getTagName(), e.getTextContent().strip());
                }
            }
        }
        String main = props.get("exec.mainClass");
        NodeList plugins = doc.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength() && main == null; i++) {
            Element plugin = (Element) plugins.item(i);
            Element artifact = child(plugin, "artifactId");
            if (artifact == null || !artifact.getTextContent().strip().equals("exec-maven-plugin")) {
                continue;
            }
            NodeList mains = plugin.getElementsByTagName("mainClass");
            if (mains.getLength() > 0) {
                main = mains.item(0).getTextContent().strip();
            }
        }
        if (main == null) {
            return null;
        }
        Matcher ref = Pattern.compile("\\$\\{([^}]+)}").matcher(main);
        StringBuilder sb = new StringBuilder();
        while (ref.find()) {
            ref.appendReplacement(sb, Matcher.quoteReplacement(props.getOrDefault(ref.group(1), ref.group())));
        }
        ref.appendTail(sb);
        return sb.toString();
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }
}
