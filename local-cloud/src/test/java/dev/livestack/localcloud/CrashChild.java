package dev.livestack.localcloud;

import java.nio.file.Path;

/** local-cloud alone in a JVM, for {@link CrashIT} to kill: serves the given state folder, says where, waits. */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        LocalCloud cloud = LocalCloud.start(LocalCloudConfig.defaults(Path.of(args[0]), 0));
        System.out.println("endpoint " + cloud.endpoint());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
