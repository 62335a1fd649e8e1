package dev.livestack.inlinepackager;

import java.nio.file.Path;
import java.util.List;

/**
 * Turns a function's source folder (or single file) into {@link InlineCode}.
 *
 * <p>Node.js: a lone CommonJS file that needs nothing but Node built-ins and the runtime's AWS SDK is inlined as
 * is; anything else (several files, TypeScript, ES modules, npm dependencies) is bundled and minified by esbuild
 * into one CommonJS file, because CloudFormation always writes inline code to {@code index.js}, which Lambda
 * loads as CommonJS. Python: one {@code .py} file is inlined; several files, dependencies or native code are
 * refused with a hint to use an asset.
 *
 * <p>Every result is checked against CloudFormation's limits ({@link #MAX_ZIP_BYTES},
 * {@link #MAX_TEMPLATE_BYTES}). Implementations are thread-safe.
 */
public interface InlinePackager {

    /** CloudFormation's limit for the zip it builds from {@code Code.ZipFile}: 4 MB. */
    long MAX_ZIP_BYTES = 4L * 1024 * 1024;

    /**
     * CloudFormation's limit for a template read from S3 (1 MB); inline code lives in the template, so code
     * larger than this can never deploy, whatever the zip size.
     */
    long MAX_TEMPLATE_BYTES = 1024L * 1024;

    /** System property naming an esbuild binary; it wins over discovery. */
    String ESBUILD_PROPERTY = "livestack.esbuild";

    /**
     * Packages a function's source.
     *
     * @param source a function's source folder, or a single source file
     * @param runtime a Lambda runtime identifier, e.g. {@code nodejs20.x} or {@code python3.12}
     * @return the inline code, within CloudFormation's limits
     * @throws PackagingException when the source cannot be inlined; the message names the source and the hint
     *     says what to do
     */
    InlineCode pack(Path source, String runtime) throws PackagingException;

    /**
     * A packager that finds esbuild by itself: the {@value #ESBUILD_PROPERTY} system property when set, else a
     * {@code tools/node_modules/.bin/esbuild} or {@code node_modules/.bin/esbuild} in the app folder (system
     * property {@code livestack.appDir}), the working directory, or the folder this library was loaded from, or
     * one of their parents. esbuild is looked up only when a function needs bundling.
     */
    static InlinePackager create() {
        return new DefaultInlinePackager(Esbuild.discover(Esbuild.defaultSearchRoots()));
    }

    /**
     * A packager that uses this esbuild binary.
     *
     * @param esbuild path of the esbuild executable
     */
    static InlinePackager create(Path esbuild) {
        if (esbuild == null) {
            throw new IllegalArgumentException("esbuild must not be null");
        }
        return new DefaultInlinePackager(Esbuild.at(esbuild));
    }

    /**
     * A packager that looks for esbuild ({@code tools/node_modules/.bin/esbuild} or
     * {@code node_modules/.bin/esbuild}) under these folders and their parents, in order; the
     * {@value #ESBUILD_PROPERTY} system property is not consulted.
     *
     * @param searchRoots folders to search from, e.g. the app folder and livestack's install folder
     */
    static InlinePackager discover(List<Path> searchRoots) {
        if (searchRoots == null) {
            throw new IllegalArgumentException("searchRoots must not be null");
        }
        return new DefaultInlinePackager(Esbuild.search(List.copyOf(searchRoots)));
    }

    /**
     * Checks a handler name against what inline code allows: CloudFormation writes the code to a file named
     * {@code index}, so the handler must be {@code index.<function>}.
     *
     * @param handler the function's {@code Handler} property
     * @throws PackagingException when it does not start with {@code index.} or names no function
     */
    static void checkHandler(String handler) throws PackagingException {
        if (handler == null || !handler.startsWith("index.") || handler.length() == "index.".length()) {
            throw new PackagingException(
                    "handler '" + handler + "' cannot be used with inline code: it must start with 'index.'",
                    "CloudFormation writes inline code to a file named index; use a handler such as index.handler.");
        }
    }
}
