package dev.livestack.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.SsmException;

class FaultInjectionIT {
    @RegisterExtension
    static final LocalCloudFixture cloud = new LocalCloudFixture();
    static TestControls controls;
    static Cfn cfn;

    @BeforeAll
    static void start() throws Exception {
        controls = TestControls.of(cloud.get());
        cfn = new Cfn(cloud.closeAfter(Sdk.cloudFormation(cloud.endpoint())));
    }

    @AfterEach
    void clear() {
        controls.clearFaults();
    }

    @Test
    void throttlingUsesEachProtocolsCodeAndWearsOff() {
        controls.failNext("cloudformation", "ListStacks", 1, TestControls.Fault.THROTTLING);
        CloudFormationException e = assertThrows(CloudFormationException.class, () -> cfn.client.listStacks());
        assertEquals("Throttling", e.awsErrorDetails().errorCode());
        assertEquals("Rate exceeded", e.awsErrorDetails().errorMessage());
        cfn.client.listStacks();
        try (var ssm = Sdk.ssm(cloud.endpoint())) {
            controls.failNext("ssm", "GetParameter", 1, TestControls.Fault.THROTTLING);
            SsmException s = assertThrows(SsmException.class, () -> ssm.getParameter(b -> b.name("x")));
            assertEquals("ThrottlingException", s.awsErrorDetails().errorCode());
            assertThrows(ParameterNotFoundException.class, () -> ssm.getParameter(b -> b.name("x")), "only one call failed");
        }
    }

    @Test
    void lambdaThrottlesWithTooManyRequests() {
        try (var lambda = software.amazon.awssdk.services.lambda.LambdaClient.builder().endpointOverride(cloud.endpoint())
                .region(Region.US_EAST_1).credentialsProvider(Sdk.credentials("test", "test"))
                .overrideConfiguration(Sdk.noRetries()).build()) {
            controls.failNext("lambda", "ListFunctions", 1, TestControls.Fault.THROTTLING);
            var e = assertThrows(software.amazon.awssdk.services.lambda.model.TooManyRequestsException.class,
                    () -> lambda.listFunctions());
            assertEquals(429, e.statusCode());
            lambda.listFunctions();
        }
    }

    @Test
    void theSdksRetriesRideOverInjectedFailures() {
        try (CloudFormationClient retrying = CloudFormationClient.builder().endpointOverride(cloud.endpoint())
                .region(Region.US_EAST_1).credentialsProvider(Sdk.credentials("test", "test")).build()) {
            controls.failNext("cloudformation", "ListStacks", 1, TestControls.Fault.HTTP_503);
            controls.failNext("cloudformation", "ListStacks", 1, TestControls.Fault.CONNECTION_RESET);
            retrying.listStacks();
        }
    }

    @Test
    void serverErrorsAndResetsReachTheClient() {
        controls.failNext("*", "DescribeStacks", 1, TestControls.Fault.HTTP_500);
        CloudFormationException e = assertThrows(CloudFormationException.class, () -> cfn.client.describeStacks());
        assertEquals(500, e.statusCode());
        assertEquals("InternalFailure", e.awsErrorDetails().errorCode());
        controls.failNext("cloudformation", "*", 1, TestControls.Fault.CONNECTION_RESET);
        assertThrows(SdkClientException.class, () -> cfn.client.describeStacks());
        cfn.client.describeStacks();
    }

    @Test
    void latencyDelaysOnlyTheNamedOperation() {
        controls.addLatency("cloudformation", "ListExports", Duration.ofMillis(400));
        long start = System.nanoTime();
        cfn.client.listExports();
        long delayed = (System.nanoTime() - start) / 1_000_000;
        assertTrue(delayed >= 400, "the injected 400 ms were applied, took " + delayed);
        controls.addLatency("cloudformation", "ListExports", Duration.ZERO);
    }

    @Test
    void resetForgetsStacksParametersAndObjects() {
        cfn.deploy("kept", "{\"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\"}}}");
        try (var ssm = Sdk.ssm(cloud.endpoint()); var s3 = Sdk.s3(cloud.endpoint())) {
            ssm.putParameter(b -> b.name("p").value("v").type(ParameterType.STRING));
            s3.createBucket(b -> b.bucket("bucket-to-forget"));
            controls.failResource("Q", "never used");
            controls.reset();
            assertTrue(cfn.client.listStacks().stackSummaries().isEmpty());
            assertThrows(ParameterNotFoundException.class, () -> ssm.getParameter(b -> b.name("p")));
            assertTrue(s3.listBuckets().buckets().isEmpty());
            cfn.deploy("kept", "{\"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\"}}}");
            assertEquals("CREATE_COMPLETE", cfn.awaitSettled("kept").stackStatusAsString(), "the resource fault was reset too");
        }
    }

    @Test
    void badControlRequestsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> controls.failNext("lambda", "Invoke", 0, TestControls.Fault.THROTTLING));
        assertThrows(IllegalArgumentException.class, () -> controls.failResource(" ", "reason"));
    }
}
