package dev.livestack.inlinepackager;

import java.nio.file.Path;

/**
 * A function's code ready to be inlined into a template as {@code Code.ZipFile}.
 *
 * @param runtime the Lambda runtime it was packaged for, e.g. {@code nodejs20.x}
 * @param fileName the file CloudFormation writes the code to: {@code index.js} or {@code index.py}
 * @param source the code itself (the {@code ZipFile} string); never empty
 * @param origin the source folder or file it was packaged from
 */
public record InlineCode(String runtime, String fileName, String source, Path origin) {

    /** Rejects blank or inconsistent values, naming the argument. */
    public InlineCode {
        if (runtime == null || runtime.isBlank()) {
            throw new IllegalArgumentException("runtime must not be blank");
        }
        if (fileName == null || fileName.isBlank()) {
            throw new IllegalArgumentException("fileName must not be blank");
        }
        if (!fileName.equals(LambdaZip.inlineFileName(runtime))) {
            throw new IllegalArgumentException("fileName must be " + LambdaZip.inlineFileName(runtime)
                    + " for runtime " + runtime + ", was " + fileName);
        }
        if (source == null || source.isEmpty()) {
            throw new IllegalArgumentException("source must not be empty");
        }
        if (origin == null) {
            throw new IllegalArgumentException("origin must not be null");
        }
    }

    /** The zip CloudFormation builds from this code: the exact bytes a hot-swap uploads. */
    public byte[] zip() {
        return LambdaZip.forInline(runtime, source);
    }

    /** Lambda's {@code CodeSha256} of {@link #zip()}. */
    public String codeSha256() {
        return LambdaZip.codeSha256(zip());
    }
}
