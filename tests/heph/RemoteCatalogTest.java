package heph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import heph.proc.ExecResult;
import heph.proc.ZtExecRunner;
import heph.support.Repo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `jbang heph@<owner>/<repo>` fetches heph.java and every source it lists by URL, and JBang drops //SOURCES globs
 * over URLs (docs/facts/jbang.md §1). This serves the checkout over HTTP on loopback and runs the catalog's aliases from it
 * with the real ./jbang launcher, in a throwaway JBANG_DIR.
 */
@org.junit.jupiter.api.Tag("install")
class RemoteCatalogTest {
    @TempDir
    Path tmp;
    HttpServer server;
    final List<String> served = new CopyOnWriteArrayList<>();
    String catalog;
    Map<String, String> env;

    @BeforeEach
    void serve() throws IOException {
        Path root = Repo.root();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
            boolean ok = file.startsWith(root) && Files.isRegularFile(file);
            byte[] body = ok ? Files.readAllBytes(file) : new byte[0];
            served.add(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(ok ? 200 : 404, ok ? body.length : -1);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        catalog = "http://127.0.0.1:" + server.getAddress().getPort() + "/jbang-catalog.json";

        Path launchctl = tmp.resolve("launchctl");
        Files.writeString(launchctl, "#!/bin/sh\n[ \"$1\" = print ] && echo 'Could not find service \"$2\" in domain"
                + " for user gui: 501' >&2\nexit 113\n");
        Files.setPosixFilePermissions(launchctl, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path home = tmp.resolve("home");
        Files.createDirectories(home);
        env = Map.of("HOME", home.toString(), "JBANG_DIR", tmp.resolve("jbang-dir").toString(),
                "HEPH_BACKEND", "launchd", "HEPH_LAUNCHCTL", launchctl.toString());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    ExecResult jbang(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add("/usr/bin/env");
        env.forEach((k, v) -> argv.add(k + "=" + v));
        argv.add(Repo.root().resolve("jbang").toString());
        argv.addAll(List.of(args));
        return new ZtExecRunner().run(argv, Duration.ofMinutes(3));
    }

    @Test
    void theVerbAliasesRunFromACatalogServedOverHttp() {
        ExecResult status = jbang("status@" + catalog);
        assertEquals(3, status.exitCode(), status.stdout() + status.stderr());
        assertTrue(status.stdout().contains("installed:      no"), status.stdout());
        assertTrue(status.stdout().contains("hint:           not installed — run heph start"), status.stdout());
        assertTrue(served.contains("/lib/heph/launchd/LaunchdBackend.java"), "lib sources fetched one by one");

        ExecResult help = jbang("heph@" + catalog, "restart", "--help");
        assertEquals(0, help.exitCode(), help.stderr());
        assertTrue(help.stdout().contains("Usage: heph restart"), help.stdout());
    }
}
