package dev.livestack.localcloud.core.ports;

/**
 * The S3 subset's objects as other services read them: Lambda's {@code Code.S3Bucket}/{@code S3Key} and
 * CloudFormation's {@code TemplateURL}.
 */
public interface ObjectStore {
    /** The object's bytes, or null when the bucket or key does not exist. */
    public byte[] get(String bucket, String key);
}
