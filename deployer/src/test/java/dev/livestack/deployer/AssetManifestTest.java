package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssetManifestTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheStacksFileAssetsWithTheirDestinations() {
        AssetAssembly a = new AssetAssembly(tmp.resolve("cdk.out"), "Shop", "hnb659fds");
        AssetAssembly.Synth s = a.synth("exports.handler = async () => 1;");
        AssetManifest m = AssetManifest.forStack(a.dir, "Shop");
        assertEquals(1, m.files().size());
        AssetManifest.FileAsset f = m.files().get(0);
        assertEquals(s.hash(), f.id());
        assertEquals("Fn/Code", f.displayName());
        assertTrue(f.zip());
        assertEquals(a.assetFolder(s.hash()).toAbsolutePath(), f.source());
        assertEquals(List.of(new AssetManifest.Destination("cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}",
                s.hash() + ".zip", "us-east-1", "arn:${AWS::Partition}:iam::000000000000:role/cdk-hnb659fds-file-publishing-role-000000000000-us-east-1",
                null)), f.destinations());
        assertTrue(m.unsupported().isEmpty());
        assertTrue(AssetManifest.forStack(a.dir, "Other").isEmpty());
        assertTrue(AssetManifest.forStack(tmp.resolve("nowhere"), "Shop").isEmpty());
        assertTrue(AssetManifest.forStack(null, "Shop").isEmpty());
    }

    /** The assembly `cdk synth` (aws-cdk-lib 2.x, Java) wrote for a stack with one Code.fromAsset function. */
    @Test
    void readsARealCdkSynth() throws Exception {
        Path dir = Path.of(AssetManifestTest.class.getResource("/cdk/asset-app/manifest.json").toURI()).getParent();
        AssetManifest m = AssetManifest.forStack(dir, "AssetApp");
        assertTrue(m.unsupported().isEmpty(), m::toString);
        assertEquals(List.of("Hello/Code", "AssetApp Template"), m.files().stream().map(AssetManifest.FileAsset::displayName).toList());
        AssetManifest.FileAsset code = m.files().get(0);
        assertTrue(code.zip());
        assertTrue(Files.isRegularFile(code.source().resolve("index.js")), code.source().toString());
        assertEquals("cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}", code.destinations().get(0).bucketName());
        assertEquals(code.id() + ".zip", code.destinations().get(0).objectKey());
        assertEquals("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-file-publishing-role-${AWS::AccountId}-${AWS::Region}",
                code.destinations().get(0).assumeRoleArn());
        AssetManifest.FileAsset template = m.files().get(1);
        assertFalse(template.zip());
        assertEquals(dir.resolve("AssetApp.template.json"), template.source());
        ObjectNode t = Json.parseObject(Files.readString(dir.resolve("AssetApp.template.json")));
        assertEquals("asset." + code.id(), t.at("/Resources/Hello4A628BD4/Metadata/aws:asset:path").asText());
        assertEquals(code.id() + ".zip", t.at("/Resources/Hello4A628BD4/Properties/Code/S3Key").asText());
    }

    @Test
    void findsStacksInNestedAssemblies() throws Exception {
        AssetAssembly a = new AssetAssembly(tmp.resolve("cdk.out/assembly-Prod"), "Prod-Shop", "hnb659fds");
        a.synth("exports.handler = async () => 1;");
        Files.writeString(tmp.resolve("cdk.out/manifest.json"), "{\"version\":\"48.0.0\",\"artifacts\":{\"assembly-Prod\":"
                + "{\"type\":\"cdk:cloud-assembly\",\"properties\":{\"directoryName\":\"assembly-Prod\",\"displayName\":\"Prod\"}}}}");
        assertEquals(1, AssetManifest.forStack(tmp.resolve("cdk.out"), "Prod-Shop").files().size());
    }

    @Test
    void dockerImagesAreReadAndLegacyAssetsRefusedInTwoLines() throws Exception {
        AssetAssembly a = new AssetAssembly(tmp.resolve("cdk.out"), "Img", "hnb659fds");
        a.synth(java.util.Map.of("index.js", new byte[] {1}), List.of("f00d"));
        AssetManifest images = AssetManifest.forStack(a.dir, "Img");
        assertTrue(images.unsupported().isEmpty(), "images from a folder are built with docker");
        assertEquals("f00d", images.images().get(0).id());
        assertEquals(a.dir.resolve("asset.f00d").toAbsolutePath(), images.images().get(0).directory());
        assertEquals("cdk-hnb659fds-container-assets-000000000000-us-east-1", images.images().get(0).destinations().get(0).repositoryName());

        Path legacy = Files.createDirectories(tmp.resolve("legacy"));
        Files.writeString(legacy.resolve("manifest.json"), "{\"version\":\"20.0.0\",\"artifacts\":{\"Old\":{\"type\":"
                + "\"aws:cloudformation:stack\",\"properties\":{\"templateFile\":\"Old.template.json\"},\"metadata\":{\"/Old\":["
                + "{\"type\":\"aws:cdk:asset\",\"data\":{\"path\":\"asset.1234\",\"id\":\"1234\",\"packaging\":\"zip\","
                + "\"sourceHash\":\"1234\",\"s3BucketParameter\":\"AssetParameters1234S3Bucket\","
                + "\"s3KeyParameter\":\"AssetParameters1234S3VersionKey\",\"artifactHashParameter\":\"AssetParameters1234ArtifactHash\"}}]}}}}");
        String old = AssetManifest.forStack(legacy, "Old").unsupported().orElseThrow();
        assertEquals(2, old.lines().count(), old);
        assertTrue(old.contains("legacy stack synthesizer (asset.1234)"), old);
    }

    @Test
    void aDamagedManifestSaysToSynthAgain() throws Exception {
        Files.writeString(tmp.resolve("manifest.json"), "{\"artifacts\": ");
        AssetPublisher.AssetException e = assertThrows(AssetPublisher.AssetException.class,
                () -> AssetManifest.forStack(tmp, "Shop"));
        assertEquals(2, e.getMessage().lines().count());
        assertTrue(e.getMessage().lines().toList().get(1).startsWith("Synthesise the app again"));
        assertFalse(e.getMessage().contains("\tat "));
    }
}
