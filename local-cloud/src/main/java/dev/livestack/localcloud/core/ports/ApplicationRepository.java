package dev.livestack.localcloud.core.ports;

import dev.livestack.localcloud.core.AwsException;

/**
 * The Serverless Application Repository as CloudFormation's SAM transform uses it: an {@code AWS::Serverless::Application}
 * whose {@code Location} names an application id and a semantic version becomes a nested stack whose template URL the
 * repository hands out (its CreateCloudFormationTemplate).
 */
public interface ApplicationRepository {
    /**
     * The S3 URL (in local-cloud's S3) of the template of one version of an application, readable by CloudFormation.
     *
     * @throws AwsException the repository's own error (code {@code NotFoundException} for an application or version
     *     that does not exist), whose message the transform reports
     */
    public String templateUrl(String applicationId, String semanticVersion);
}
