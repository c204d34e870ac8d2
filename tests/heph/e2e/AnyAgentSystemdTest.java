package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.json.Json;
import heph.sim.daemon.DaemonRpc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Any systemd user unit (issue 10) through the CLI and the systemctl fake: {@code --unit-file} from a dotfiles folder,
 * {@code --unit} afterwards, {@code apply} with one daemon-reload for the whole folder, {@code list}.
 */
class AnyAgentSystemdTest extends SystemdHephBaseTest {
    Path unitDir() {
        return sim.home().resolve(".config/systemd/user");
    }

    Path sock(String name) {
        return runtime.resolve(name + ".sock");
    }

    /** A unit running the sample daemon on its own socket and database, plus {@code extra} args. */
    Path unit(Path folder, String name, String... extra) throws IOException {
        String exec = sim.hephd() + " --socket " + sock(name) + " --db " + dir.resolve(name + ".db")
                + (extra.length == 0 ? "" : " " + String.join(" ", extra));
        Path p = folder.resolve(name + ".service");
        Files.createDirectories(folder);
        Files.writeString(p, "# " + name + ", my way\n[Unit]\nDescription=" + name + "\n\n[Service]\nExecStart="
                + exec + "\nRestart=always\n\n[Install]\nWantedBy=default.target\n");
        return p;
    }

    @SuppressWarnings("unchecked")
    List<String> argvOf(String name) {
        long pid = sim.systemd().mainPid(name + ".service").orElseThrow();
        return (List<String>) DaemonRpc.awaitPid(sock(name), pid, Duration.ofSeconds(20))
                .orElseThrow(() -> new AssertionError(name + " does not answer")).get("argv");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> services(Run r) {
        return (List<Map<String, Object>>) r.json().get("services");
    }

    long count(String call) {
        return calls().stream().filter(call::equals).count();
    }

    @Test
    void aUnitFromDotfilesStartsRestartsReloadsAndIsManagedByItsName() throws IOException {
        Path dotfiles = dir.resolve("dotfiles");
        Path file = unit(dotfiles, "sync");
        Run start = heph("start", "--unit-file", file.toString(), "--json");
        assertEquals(0, start.exit(), start.err());
        assertEquals("start", start.json().get("path"));
        assertEquals(Files.readString(file), Files.readString(unitDir().resolve("sync.service")), "as given");
        assertEquals(1, count("daemon-reload"));
        long pid = ((Number) start.json().get("new_pid")).longValue();

        sim.clearCalls();
        Run again = heph("start", "--unit-file", file.toString(), "--json");
        assertEquals("none", again.json().get("path"));
        assertEquals(List.of("show"), calls().stream().distinct().toList(), "no mutating call");
        Run restart = heph("restart", "--unit-file", file.toString(), "--json");
        assertEquals("restart", restart.json().get("path"));
        assertEquals(0, count("daemon-reload"), "unchanged: no daemon-reload");
        assertNotEquals(pid, ((Number) restart.json().get("new_pid")).longValue());

        unit(dotfiles, "sync", "--mode", "server");
        sim.clearCalls();
        Run reload = heph("restart", "--unit-file", file.toString(), "--json");
        assertEquals(0, reload.exit(), reload.err());
        assertEquals("reload", reload.json().get("path"));
        assertEquals(1, count("daemon-reload"));
        assertEquals(List.of("--mode", "server"), argvOf("sync").subList(4, 6));

        Run status = heph("status", "--unit", "sync", "--json");
        assertEquals(0, status.exit(), status.err());
        assertEquals("sync.service", status.json().get("name"));
        assertEquals(0, heph("stop", "--unit", "sync.service").exit());
        assertEquals(3, heph("status", "--unit", "sync").exit());
        Run flags = heph("start", "--unit", "sync", "--hub-url", "http://x:1");
        assertEquals(2, flags.exit(), flags.err());
        assertEquals(0, heph("uninstall", "--unit", "sync").exit());
        assertFalse(Files.exists(unitDir().resolve("sync.service")));
        assertEquals(2, heph("start", "--plist", file.toString()).exit(), "a plist on systemd");
    }

    @Test
    void applyReloadsOnceForTheFolderAndASecondApplyChangesNothing() throws IOException {
        Path dotfiles = dir.resolve("units");
        for (String n : List.of("a", "b", "c")) {
            unit(dotfiles, n);
        }
        Run first = heph("apply", dotfiles.toString(), "--json");
        assertEquals(0, first.exit(), first.err());
        assertEquals(1, count("daemon-reload"), "one daemon-reload for the whole folder: " + calls());
        List<Map<String, Object>> services = services(first);
        assertEquals(List.of("a.service", "b.service", "c.service"),
                services.stream().map(m -> m.get("label")).toList());
        services.forEach(s -> assertEquals("start", s.get("how"), s.toString()));

        sim.clearCalls();
        Run second = heph("apply", dotfiles.toString(), "--json");
        assertEquals(0, second.exit(), second.err());
        assertEquals(false, second.json().get("changed"));
        assertTrue(calls().stream().allMatch(c -> c.equals("show")), "no mutating call: " + calls());

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) Json.parse(heph("list", "--json").out().strip());
        assertEquals(List.of("a.service", "b.service", "c.service"), rows.stream().map(m -> m.get("label")).toList());
        rows.forEach(r -> assertEquals(true, r.get("running"), r.toString()));

        unit(dotfiles, "a", "--mode", "server");
        unit(dotfiles, "c", "--mode", "server");
        Files.writeString(dotfiles.resolve("bad.service"), "[Service]\nExecStart=relative --flag\n");
        sim.clearCalls();
        Run third = heph("apply", dotfiles.toString(), "--json");
        assertEquals(1, third.exit(), third.err());
        assertEquals(1, count("daemon-reload"), "two changed units, one daemon-reload: " + calls());
        Map<String, Object> how = new java.util.TreeMap<>();
        services(third).forEach(s -> how.put(s.get("label") == null ? "?" : s.get("label")
                .toString(), s.get("how")));
        assertEquals(Map.of("a.service", "reload", "b.service", "none", "c.service", "reload", "?", "failed"), how);
        assertEquals(List.of("--mode", "server"), argvOf("c").subList(4, 6));
    }
}
