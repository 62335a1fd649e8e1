package dev.livestack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.LocalCloud;
import dev.livestack.localcloud.LocalCloudConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Finds a local-cloud that is already serving this state folder (another livestack process wrote
 * {@code server.json} beside the state) or starts one in this process. Two servers never share one
 * state folder: the second process reuses the first one's endpoint.
 */
class LocalCloudManager implements AutoCloseable {
    static final String SERVER_FILE = "server.json";
    /**
     * The port this state folder's local-cloud listens on, chosen on its first start and reused, so that every URL
     * stored in the state (queue URLs, stack outputs) stays valid across restarts.
     */
    static final String PORT_FILE = "port";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path stateDir;
    private final int port;
    private LocalCloud started;
    private Handle handle;
    private List<String> allowedOrigins = List.of();

    /**
     * @param stateDir local-cloud's state folder
     * @param port the port to start on when none is running (0 = a free one)
     */
    LocalCloudManager(Path stateDir, int port) {
        this.stateDir = stateDir;
        this.port = port;
    }

    /** A reachable local-cloud. */
    record Handle(URI endpoint, String region, String accessKeyId, String secretAccessKey, boolean owned) {
    }

    Path stateDir() {
        return stateDir;
    }

    /** Where the running local-cloud keeps its admin token (the admin routes want it; see docs/security.md). */
    Path adminTokenFile() {
        return stateDir.resolve(LocalCloud.ADMIN_TOKEN_FILE);
    }

    /**
     * Web origins whose pages the local-cloud this manager starts will serve, besides loopback ones.
     *
     * @throws UserError when one is not an origin
     */
    void allowOrigins(List<String> origins) {
        for (String origin : origins) {
            try {
                LocalCloudConfig.defaults(stateDir, 0).withAllowedOrigins(List.of(origin));
            } catch (IllegalArgumentException e) {
                throw new UserError("--allow-origin '" + origin + "' is not a web origin.",
                        "Pass scheme and host, and a port if not the default (https://console.example, http://host:8080); "
                                + "no path, no wildcard.");
            }
        }
        this.allowedOrigins = List.copyOf(origins);
    }

    synchronized Handle connectOrStart() {
        if (handle != null) {
            return handle;
        }
        Handle running = running();
        if (running != null) {
            handle = running;
            return handle;
        }
        handle = start();
        return handle;
    }

    /** The local-cloud serving this folder from another process, or null. */
    Handle running() {
        Path file = stateDir.resolve(SERVER_FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            long pid = n.path("pid").asLong(-1);
            URI endpoint = URI.create(n.path("endpoint").asText());
            if (pid == ProcessHandle.current().pid() || !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return null;
            }
            if (!reachable(endpoint)) {
                return null;
            }
            return new Handle(endpoint, n.path("region").asText(LocalCloudConfig.DEFAULT_REGION),
                    n.path("accessKeyId").asText(LocalCloudConfig.DEFAULT_ACCESS_KEY),
                    LocalCloudConfig.DEFAULT_SECRET_KEY, false);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The pid of the process serving this folder, or -1. */
    long runningPid() {
        Path file = stateDir.resolve(SERVER_FILE);
        try {
            return Files.isRegularFile(file) ? JSON.readTree(file.toFile()).path("pid").asLong(-1) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private Handle start() {
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new UserError("Cannot create local-cloud's state folder " + stateDir + ": " + e.getMessage(),
                    "Check the folder's permissions, or pass --state-dir DIR with a writable folder.");
        }
        if (!Files.isWritable(stateDir)) {
            throw new UserError("local-cloud's state folder " + stateDir + " is not writable.",
                    "Check the folder's permissions, or pass --state-dir DIR with a writable folder.");
        }
        int stored = port == 0 ? storedPort() : 0;
        int bind = port != 0 ? port : stored;
        try {
            started = LocalCloud.start(LocalCloudConfig.defaults(stateDir, bind).withAllowedOrigins(allowedOrigins));
        } catch (BindException e) {
            throw stored != 0 ? storedPortTaken(stored) : bindError(port, e);
        } catch (IOException e) {
            throw new UserError("local-cloud failed to start: " + e.getMessage(),
                    "Check the state folder " + stateDir + ", or run 'livestack local-cloud reset'.");
        } catch (UncheckedIOException e) {
            throw new UserError("local-cloud cannot read its state in " + stateDir + ": " + e.getMessage(),
                    "Fix the folder's permissions, or move the file it names out of the folder; as a last resort, "
                            + "'livestack local-cloud reset' deletes all of local-cloud's state.");
        }
        LocalCloudConfig c = started.config();
        if (c.port() != stored) {
            writeAtomically(stateDir.resolve(PORT_FILE), (c.port() + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        writeServerFile(started.endpoint(), c);
        return new Handle(started.endpoint(), c.region(), c.accessKeyId(), c.secretAccessKey(), true);
    }

    /** The port kept in the state folder, or 0 when there is none (or it is not a port). */
    int storedPort() {
        try {
            int p = Integer.parseInt(Files.readString(stateDir.resolve(PORT_FILE)).trim());
            return p > 0 && p <= 65535 ? p : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private UserError storedPortTaken(int stored) {
        return new UserError("Port " + stored + ", which local-cloud's state in " + stateDir + " keeps (its queue URLs and "
                + "stack outputs name it), is taken by another process.",
                "Stop that process and run again, or pass --port N to move local-cloud (URLs stored with port " + stored
                        + " then stop working until you redeploy).");
    }

    /** What a refused bind means: another process has the port, or (below 1024, not root) the port is privileged. */
    static UserError bindError(int port, BindException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (m.contains("permission denied") || m.contains("access denied") || m.contains("not permitted")) {
            return new UserError("Port " + port + " needs privileges this user does not have (ports below 1024 are reserved for root).",
                    "Pass --port N with N of 1024 or more (0 picks a free port), e.g. --port 4566.");
        }
        if (m.contains("in use")) {
            return new UserError("Port " + port + " is already in use; local-cloud cannot start there.",
                    "Stop what uses it, or pass --port N (0 picks a free port).");
        }
        return new UserError("local-cloud cannot listen on port " + port + ": " + e.getMessage() + ".",
                "Pass another --port N (0 picks a free port).");
    }

    private void writeServerFile(URI endpoint, LocalCloudConfig c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("endpoint", endpoint.toString());
        n.put("pid", ProcessHandle.current().pid());
        n.put("region", c.region());
        n.put("accessKeyId", c.accessKeyId());
        try {
            writeAtomically(stateDir.resolve(SERVER_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeAtomically(Path file, byte[] bytes) {
        try {
            Path tmp = Files.createTempFile(stateDir, ".server", ".tmp");
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean reachable(URI endpoint) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when this process started the local-cloud it uses. */
    boolean owns() {
        return started != null;
    }

    @Override
    public synchronized void close() {
        if (started != null) {
            try {
                Path file = stateDir.resolve(SERVER_FILE);
                JsonNode n = Files.isRegularFile(file) ? JSON.readTree(file.toFile()) : null;
                if (n != null && n.path("pid").asLong() == ProcessHandle.current().pid()) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException ignored) {
                // the next start rewrites it; a stale file names a dead pid and is ignored
            }
            started.close();
            started = null;
        }
        handle = null;
    }
}
