package dev.livestack.localcloud.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeSdksTest {
    @TempDir
    Path tmp;

    @Test
    void botocoreLearnedAwsEndpointUrlIn1_31() {
        int[] min = {1, 31};
        assertTrue(RuntimeSdks.atLeast("1.31.0", min));
        assertTrue(RuntimeSdks.atLeast("1.43.11", min));
        assertTrue(RuntimeSdks.atLeast("2.0", min));
        assertFalse(RuntimeSdks.atLeast("1.29.27", min));
        assertFalse(RuntimeSdks.atLeast("1.30.99", min));
        assertFalse(RuntimeSdks.atLeast("garbage", min));
    }

    @Test
    void findsTheSdkInToolsAboveAnyRoot() throws Exception {
        Path sdk = Files.createDirectories(tmp.resolve("repo/tools/runtime-sdk/node_modules/@aws-sdk/client-sts"));
        Path deep = Files.createDirectories(tmp.resolve("repo/local-cloud/target/classes"));
        assertEquals(tmp.resolve("repo/tools/runtime-sdk/node_modules"), RuntimeSdks.findNodeSdk(List.of(deep)));
        assertNull(RuntimeSdks.findNodeSdk(List.of(tmp.resolve("elsewhere"))));
        assertTrue(Files.isDirectory(sdk));
    }

    @Test
    void linksTheSdkAboveTheExtractedPackagesAndDropsAStaleLink() throws Exception {
        Path modules = Files.createDirectories(tmp.resolve("sdk/node_modules/@aws-sdk/client-sts")).getParent().getParent();
        Path run = Files.createDirectories(tmp.resolve("run"));
        RuntimeSdks.at(modules).link(run);
        assertEquals(modules, Files.readSymbolicLink(run.resolve("node_modules")));
        RuntimeSdks.at(null).link(run);
        assertFalse(Files.exists(run.resolve("node_modules"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aLinkThatCannotBeMadeIsSaidOnceInsteadOfSwallowed() throws Exception {
        Path modules = Files.createDirectories(tmp.resolve("sdk/node_modules/@aws-sdk/client-sts")).getParent().getParent();
        RuntimeSdks sdks = RuntimeSdks.at(modules);
        assertNull(sdks.nodeAbsence());
        // a file where the folder should be: the link cannot be created
        Path notADir = Files.writeString(tmp.resolve("run"), "x");
        sdks.link(notADir);
        String why = sdks.nodeAbsence();
        assertTrue(why != null && why.contains("could not link") && why.contains(notADir.toString()), String.valueOf(why));
    }
}
