package dev.livestack.deployer;

import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Acts as a CDK bootstrap role (the deploy role, the file-publishing role) that a cloud assembly names, as the
 * CDK CLI does. The cli implements it with STS AssumeRole, because only the cli builds SDK clients.
 */
public interface RoleAssumer {

    /**
     * Clients whose calls act as the role.
     *
     * @param roleArn the role, placeholders already replaced
     * @param externalId the external id to pass, or {@code null}
     * @throws NotAssumed when STS refuses (the role does not exist, or may not be assumed by the caller)
     */
    RoleClients assume(String roleArn, String externalId);

    /**
     * The clients of one assumed role.
     *
     * @param cloudFormation for the deploy role's stack operations
     * @param s3 for the file-publishing role's uploads
     */
    record RoleClients(CloudFormationClient cloudFormation, S3Client s3) {
    }

    /** STS refused to let the caller assume a role; the message is AWS's. */
    final class NotAssumed extends RuntimeException {
        public NotAssumed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
