package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livestack.inlinepackager.LambdaZip;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** Code packages and their extracted folders are kept while a live version needs them, and deleted after. */
class LambdaDiskIT {
    @TempDir
    Path state;

    static String source(String answer) {
        return "exports.handler = async () => '" + answer + "';\n";
    }

    static String sha(String answer) {
        return HexFormat.of().formatHex(Base64.getDecoder().decode(LambdaZip.codeSha256(LambdaFixtures.zip("nodejs20.x", source(answer)))));
    }

    private Set<String> names(String folder) throws Exception {
        Path dir = state.resolve(folder);
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString().replace(".zip", "")).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static String invoke(LambdaClient lambda, String qualifier) {
        return lambda.invoke(b -> b.functionName("disk").qualifier(qualifier)).payload().asUtf8String();
    }

    private static void update(LambdaClient lambda, String answer, boolean publish) {
        lambda.updateFunctionCode(b -> b.functionName("disk").publish(publish)
                .zipFile(SdkBytes.fromByteArray(LambdaFixtures.zip("nodejs20.x", source(answer)))));
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("disk"));
    }

    @Test
    void onlyWhatLiveVersionsNeedStaysOnDisk() throws Exception {
        try (LocalCloud cloud = LambdaFixtures.start(state); LambdaClient lambda = LambdaFixtures.lambda(cloud.endpoint())) {
            LambdaFixtures.create(lambda, "disk", Runtime.NODEJS20_X, source("a"));
            assertEquals("\"a\"", invoke(lambda, "$LATEST"));
            update(lambda, "b", false);
            assertEquals("\"b\"", invoke(lambda, "$LATEST"));
            assertEquals(Set.of(sha("b")), names("lambda/code"), "a's package went with the update");
            assertEquals(Set.of(sha("b")), names("lambda/run"));

            update(lambda, "c", true);   // version 1 runs c
            update(lambda, "d", false);
            assertEquals("\"c\"", invoke(lambda, "1"));
            assertEquals("\"d\"", invoke(lambda, "$LATEST"));
            assertEquals(new TreeSet<>(Set.of(sha("c"), sha("d"))), names("lambda/code"));
            assertEquals(new TreeSet<>(Set.of(sha("c"), sha("d"))), names("lambda/run"));

            lambda.deleteFunction(b -> b.functionName("disk").qualifier("1"));
            assertEquals(Set.of(sha("d")), names("lambda/code"), "the deleted version's package went");
            assertEquals(Set.of(sha("d")), names("lambda/run"));

            lambda.deleteFunction(b -> b.functionName("disk"));
            assertEquals(Set.of(), names("lambda/code"));
            assertEquals(Set.of(), names("lambda/run"));
        }
    }

    @Test
    void packagesNoFunctionNeedsAreDeletedOnStart() throws Exception {
        try (LocalCloud cloud = LambdaFixtures.start(state); LambdaClient lambda = LambdaFixtures.lambda(cloud.endpoint())) {
            LambdaFixtures.create(lambda, "disk", Runtime.NODEJS20_X, source("kept"));
            assertEquals("\"kept\"", invoke(lambda, "$LATEST"));
        }
        // what an older local-cloud (or a crash mid-extraction) left behind
        String orphan = "0".repeat(64);
        Files.write(state.resolve("lambda/code/" + orphan + ".zip"), LambdaFixtures.zip("nodejs20.x", source("orphan")));
        Files.createDirectories(state.resolve("lambda/run/" + orphan));
        Files.writeString(state.resolve("lambda/run/" + orphan + "/index.js"), source("orphan"));
        Files.createDirectories(state.resolve("lambda/run/." + orphan + "123456"));
        try (LocalCloud cloud = LambdaFixtures.start(state); LambdaClient lambda = LambdaFixtures.lambda(cloud.endpoint())) {
            assertEquals(Set.of(sha("kept")), names("lambda/code"));
            assertEquals(List.of(sha("kept")), List.copyOf(names("lambda/run")));
            assertEquals("\"kept\"", invoke(lambda, "$LATEST"));
        }
    }
}
