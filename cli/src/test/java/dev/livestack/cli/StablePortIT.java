package dev.livestack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One port per state folder: the embedded local-cloud picks a free port on its first start, keeps it in the folder
 * and listens there again after a restart, so URLs stored with it (queue URLs, stack outputs) stay valid; a port
 * another process took is a two-line error, never a silent move.
 */
class StablePortIT {
    @TempDir
    Path dir;

    @Test
    void aRestartListensOnThePortTheFirstStartChose() throws Exception {
        Path state = dir.resolve("local-cloud");
        int first;
        try (LocalCloudManager m = new LocalCloudManager(state, 0)) {
            first = m.connectOrStart().endpoint().getPort();
        }
        assertEquals(Integer.toString(first), Files.readString(state.resolve(LocalCloudManager.PORT_FILE)).trim());
        try (LocalCloudManager m = new LocalCloudManager(state, 0)) {
            assertEquals(first, m.connectOrStart().endpoint().getPort());
        }
        // another folder gets a port of its own
        try (LocalCloudManager other = new LocalCloudManager(dir.resolve("other"), 0)) {
            assertNotEquals(first, other.connectOrStart().endpoint().getPort());
        }
    }

    @Test
    void aStoredPortTakenByAnotherProcessIsATwoLineErrorAndAnExplicitPortMovesIt() throws Exception {
        Path state = dir.resolve("taken");
        int stored;
        try (LocalCloudManager m = new LocalCloudManager(state, 0)) {
            stored = m.connectOrStart().endpoint().getPort();
        }
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), stored));
            try (LocalCloudManager m = new LocalCloudManager(state, 0)) {
                UserError e = assertThrows(UserError.class, m::connectOrStart);
                assertTrue(e.getMessage().startsWith("Port " + stored + ", which local-cloud's state in "), e.getMessage());
                assertTrue(e.getMessage().contains("is taken by another process"), e.getMessage());
                assertTrue(e.todo().contains("--port N"), e.todo());
                assertEquals(ExitCodes.BAD_INPUT, e.exitCode());
            }
            // what --port N does: an explicit port wins and becomes the folder's port
            int moved;
            try (LocalCloudManager explicit = new LocalCloudManager(state, freePort())) {
                moved = explicit.connectOrStart().endpoint().getPort();
            }
            assertEquals(Integer.toString(moved), Files.readString(state.resolve(LocalCloudManager.PORT_FILE)).trim());
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
