package dev.livestack.localcloud;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * local-cloud's test controls, for tests in any module: inject latency and failures into AWS calls,
 * make resources fail, and reset all state. Talks to the admin API under {@code /_localcloud/}
 * (documented in docs/local-cloud.md).
 *
 * <pre>{@code
 * TestControls controls = TestControls.of(localCloud);
 * controls.failNext("lambda", "UpdateFunctionCode", 2, TestControls.Fault.THROTTLING);
 * }</pre>
 */
public interface TestControls {

    /** How an injected call failure looks to the client. */
    enum Fault {
        /** The protocol's throttling error: {@code Throttling} (query), {@code ThrottlingException} (JSON), {@code TooManyRequestsException} (Lambda), {@code SlowDown} (S3). */
        THROTTLING,
        /** HTTP 500, {@code InternalFailure}. */
        HTTP_500,
        /** HTTP 503, {@code ServiceUnavailable}. */
        HTTP_503,
        /** The connection closes without a response. */
        CONNECTION_RESET
    }

    /** The controls of a local-cloud this process started. */
    static TestControls of(LocalCloud cloud) {
        return of(cloud.endpoint(), cloud.config().stateDir());
    }

    /**
     * The controls of the local-cloud at this endpoint, which serves this state folder: each call sends the admin
     * token it finds there ({@link LocalCloud#ADMIN_TOKEN_FILE}), so it keeps working across restarts.
     *
     * @param endpoint what {@link LocalCloud#endpoint()} returns
     * @param stateDir the state folder it was started with
     */
    static TestControls of(URI endpoint, Path stateDir) {
        return new HttpTestControls(endpoint, stateDir);
    }

    /**
     * The admin token of the local-cloud serving this state folder, for raw calls to the admin routes.
     *
     * @throws java.io.UncheckedIOException when no local-cloud has started there
     */
    static String adminToken(Path stateDir) {
        return HttpTestControls.token(stateDir);
    }

    /**
     * Delays every call of an operation.
     *
     * @param service signing name ({@code cloudformation}, {@code lambda}, {@code logs}, {@code s3}, …) or {@code *}
     * @param operation operation name as in the service model ({@code DescribeStacks}) or {@code *}
     * @param latency the added delay; zero removes it
     */
    void addLatency(String service, String operation, Duration latency);

    /**
     * Fails the next {@code count} calls of an operation.
     *
     * @param service signing name or {@code *}
     * @param operation operation name or {@code *}
     * @param count how many calls fail, at least 1
     * @param fault how they fail
     */
    void failNext(String service, String operation, int count, Fault fault);

    /**
     * Fails the next create or update of a resource with a CloudFormation status reason.
     *
     * @param logicalIdOrType a logical id ({@code MyFunction}) or a resource type ({@code AWS::SQS::Queue})
     * @param reason the resource event's status reason
     */
    void failResource(String logicalIdOrType, String reason);

    /**
     * Fails the next time a rollback acts on a resource: an update rollback restoring its previous
     * configuration (as when that configuration can no longer be applied on AWS; the stack ends in
     * {@code UPDATE_ROLLBACK_FAILED}, and ContinueUpdateRollback retries the restore or skips the resource), or a
     * failed create's rollback deleting it (the stack ends in {@code ROLLBACK_FAILED}).
     *
     * @param logicalIdOrType a logical id or a resource type
     * @param reason the resource event's status reason
     * @param count how many restores fail, at least 1
     */
    void failRollback(String logicalIdOrType, String reason, int count);

    /** Removes every injected latency and failure. */
    void clearFaults();

    /**
     * Moves EventBridge's schedule clock forward (it starts at the wall clock) and fires the schedules that fell due
     * meanwhile, each rule at most once, as if that much time had passed; deliveries to targets run asynchronously.
     *
     * @param by how far, zero or more (whole seconds count)
     */
    void advanceSchedules(Duration by);

    /** Forgets all state (stacks, change sets, parameters, objects, functions, logs) and all faults. */
    void reset();
}
