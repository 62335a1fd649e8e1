package dev.livestack.localcloud.core.ports;

/**
 * The S3 subset's objects as other services read them: Lambda's {@code Code.S3Bucket}/{@code S3Key} and
 * CloudFormation's {@code TemplateURL}; and as a service that hands out S3 URLs of its own writes them (the Serverless
 * Application Repository's templates and code, in a bucket local-cloud owns).
 */
public interface ObjectStore {
    /** The object's bytes, or null when the bucket or key does not exist. */
    public byte[] get(String bucket, String key);

    /** Writes an object into a bucket local-cloud owns, creating the bucket when it does not exist yet. */
    public void putOwned(String bucket, String key, byte[] bytes, String contentType);
}
