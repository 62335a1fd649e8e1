package dev.livestack.context;

import java.util.List;

/** Closing what a run built (SDK clients, credential providers): shared by the cli's clients and the lookups' own. */
public interface Closeables {
    /**
     * Closes each of {@code built}, the rest even when one fails (a client that cannot close must not keep the others'
     * connections open), then empties the list.
     */
    static void closeAll(List<? extends AutoCloseable> built) {
        for (AutoCloseable c : built) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing the others matters more
            }
        }
        built.clear();
    }
}
