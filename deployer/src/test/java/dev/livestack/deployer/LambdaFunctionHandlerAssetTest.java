package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Lambda handler's swap of an asset-based function's code from the staged asset. */
class LambdaFunctionHandlerAssetTest {
    @TempDir
    Path tmp;

    private static final String OLD = "{'Type':'AWS::Lambda::Function','Properties':{'Runtime':'nodejs20.x','Handler':'index.handler',"
            + "'Code':{'S3Bucket':{'Fn::Sub':'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}'},'S3Key':'aaa.zip'}},"
            + "'Metadata':{'aws:asset:path':'asset.aaa','aws:asset:property':'Code'}}";

    private static String withKey(String hash, String metadata) {
        return OLD.replace("aaa.zip", hash + ".zip").replace("'Metadata':{'aws:asset:path':'asset.aaa','aws:asset:property':'Code'}", metadata);
    }

    private HotswapPlan.Swap plan(String newResource) {
        ResourceChange c = TestTemplates.change("Fn", OLD, newResource);
        HotswapPlan p = Planner.standard(tmp).planOne(c, TestTemplates.resolver(TestTemplates.obj("{'Resources':{'Fn':" + newResource + "}}")));
        return (HotswapPlan.Swap) p;
    }

    @Test
    void aChangedAssetKeyBecomesADirectUploadOfTheStagedFolder() throws Exception {
        Files.createDirectories(tmp.resolve("asset.bbb"));
        HotswapPlan.Swap s = plan(withKey("bbb", "'Metadata':{'aws:asset:path':'asset.bbb','aws:asset:property':'Code'}"));
        assertEquals(List.of(new LambdaFunctionHandler.AssetCode("app-Fn-ABC", tmp.resolve("asset.bbb").toAbsolutePath(),
                "cdk-hnb659fds-assets-000000000000-us-east-1", "bbb.zip")), s.actions());
        assertEquals(List.of("Code"), s.properties());
    }

    @Test
    void withoutAStagedAssetOrAssetMetadataTheCodeComesFromS3() throws Exception {
        HotswapPlan.Swap notStaged = plan(withKey("ccc", "'Metadata':{'aws:asset:path':'asset.ccc','aws:asset:property':'Code'}"));
        assertEquals(LambdaFunctionHandler.S3Code.class, notStaged.actions().get(0).getClass());
        HotswapPlan.Swap plainS3 = plan(withKey("ddd", "'Metadata':{'aws:cdk:path':'app/Fn/Resource'}"));
        assertEquals(new LambdaFunctionHandler.S3Code("app-Fn-ABC", "cdk-hnb659fds-assets-000000000000-us-east-1", "ddd.zip", null),
                plainS3.actions().get(0));
        // staged, but no cloud assembly given to the handler
        Files.createDirectories(tmp.resolve("asset.eee"));
        ResourceChange c = TestTemplates.change("Fn", OLD, withKey("eee", "'Metadata':{'aws:asset:path':'asset.eee'}"));
        HotswapPlan.Swap s = (HotswapPlan.Swap) Planner.standard().planOne(c, TestTemplates.resolver(TestTemplates.obj("{'Resources':{}}")));
        assertEquals(LambdaFunctionHandler.S3Code.class, s.actions().get(0).getClass());
        assertEquals(LambdaFunctionHandler.AssetCode.class,
                ((HotswapPlan.Swap) Planner.standard(tmp).planOne(c, TestTemplates.resolver(TestTemplates.obj("{'Resources':{}}")))).actions().get(0).getClass());
    }
}
