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
 * Any systemd user unit through the CLI and the systemctl fake: {@code --unit-file} from a dotfiles folder,
 * {@code --unit} afterwards, {@code apply} with one daemon-reload for the whole folder, {@code list}.
 */
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Tag("simulator")
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

    /**
     * A unit without an [Install] section (UnitFileState=static) cannot be enabled: heph starts it, never calls
     * enable, and says so instead of claiming it starts at login; a second start is nothing to do.
     */
    @Test
    void aStaticUnitIsStartedNeverEnabled() throws IOException {
        Path file = unit(dir.resolve("dotfiles"), "once");
        Files.writeString(file, Files.readString(file).replace("\n[Install]\nWantedBy=default.target\n", ""));
        Run start = heph("start", "--unit-file", file.toString(), "--json");
        assertEquals(0, start.exit(), start.err());
        assertEquals("start", start.json().get("path"));
        assertTrue(start.out().contains("no [Install] section, so it cannot be enabled"), start.out());
        assertFalse(start.out().contains("starts at login\""), start.out());
        assertEquals("static", sim.systemd().properties("once.service").get("UnitFileState"));
        assertEquals(0, calls().stream().filter(c -> c.startsWith("enable")).count(), calls().toString());
        assertEquals(1, count("start once.service"), calls().toString());

        sim.clearCalls();
        Run again = heph("start", "--unit-file", file.toString(), "--json");
        assertEquals(0, again.exit(), again.err());
        assertEquals("none", again.json().get("path"), again.out());
        assertEquals(List.of("show"), calls().stream().distinct().toList(), "no mutating call");
        Run apply = heph("apply", dir.resolve("dotfiles").toString());
        assertEquals(0, apply.exit(), apply.err());
        assertEquals(0, calls().stream().filter(c -> c.startsWith("enable")).count(), calls().toString());
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
    void doctorAndLogsTakeTheSameUnitOptionsAsStatusAndNameTheUnit() throws IOException {
        Path file = unit(dir.resolve("dotfiles"), "sync");
        assertEquals(0, heph("start", "--unit-file", file.toString()).exit());
        argvOf("sync");
        Run d = heph("doctor", "--unit", "sync");
        assertEquals(0, d.exit(), d.out() + d.err());
        assertTrue(d.out().lines().noneMatch(l -> l.contains(" socket: ")), "hephd's socket is hephd's: " + d.out());
        assertTrue(d.out().lines().anyMatch(l -> l.startsWith("ok    unit: sync.service is running")), d.out());

        Run none = heph("doctor", "--unit", "nosuchx");
        assertEquals(1, none.exit(), none.out() + none.err());
        assertTrue(none.out().lines().anyMatch(l -> l.startsWith("fail  unit: no such agent: no "
                + unitDir().resolve("nosuchx.service") + " and systemd --user does not know nosuchx.service")),
                none.out());

        // logs: --unit and --unit-file as for every verb; --label and --plist refused as status refuses them
        Path log = dir.resolve("sync.log");
        Files.writeString(log, "hello from sync\n");
        Files.writeString(unitDir().resolve("quiet.service"), "[Service]\nExecStart=/bin/sleep 1000\n"
                + "StandardOutput=append:" + log + "\n");
        Run logs = heph("logs", "--unit", "quiet");
        assertEquals(0, logs.exit(), logs.err());
        assertEquals("o+e | hello from sync", logs.out().strip());
        for (String[] agent : List.of(new String[] {"--label", "quiet"}, new String[] {"--plist", file.toString()})) {
            Run status = heph("status", agent[0], agent[1]);
            assertEquals(2, status.exit(), status.err());
            for (String verb : List.of("logs", "doctor")) {
                Run r = heph(verb, agent[0], agent[1]);
                assertEquals(2, r.exit(), verb + " " + agent[0] + ": " + r.err());
                assertEquals(status.err(), r.err(), verb + " " + agent[0]);
            }
        }
    }

    @Test
    void aUnitFileNamedHephServiceIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path file = unit(dir.resolve("dotfiles"), "heph");
        sim.clearCalls();
        Run r = heph("start", "--unit-file", file.toString());
        assertEquals(2, r.exit(), r.err());
        assertEquals("heph: " + file + " is heph.service, which is hephd's unit: manage hephd with heph's own flags"
                + " (no --unit-file), or give the unit file another name", r.err().strip());
        assertTrue(calls().isEmpty(), "no systemctl call: " + calls());
        assertFalse(Files.exists(unitFile()));
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
        List<Map<String, Object>> rows = (List<Map<String, Object>>) heph("list", "--json").json().get("agents");
        assertEquals(List.of("a.service", "b.service", "c.service"), rows.stream().map(m -> m.get("label")).toList());
        rows.forEach(r -> assertEquals(true, r.get("running"), r.toString()));

        unit(dotfiles, "a", "--mode", "server");
        unit(dotfiles, "c", "--mode", "server");
        Files.writeString(dotfiles.resolve("bad.service"), "[Service]\nExecStart=relative/prog --flag\n");
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
    /** list used to pass over a FIFO, a folder and a dangling link named *.service: each is a row "invalid". */
    @Test
    @SuppressWarnings("unchecked")
    void listShowsEachBadEntryOfTheUnitFolderAsInvalid() throws Exception {
        Path file = unit(dir.resolve("dotfiles"), "good");
        assertEquals(0, heph("start", "--unit-file", file.toString()).exit());
        Path folder = unitFile().getParent();
        Process mk = new ProcessBuilder("mkfifo", folder.resolve("fifo.service").toString()).start();
        assertTrue(mk.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo");
        Files.createDirectories(folder.resolve("dir1.service"));
        Files.createSymbolicLink(folder.resolve("gone.service"), folder.resolve("nowhere.service"));
        Run list = heph("list", "--json");
        assertEquals(0, list.exit(), list.err());
        Map<String, Map<String, Object>> rows = new java.util.TreeMap<>();
        for (Object o : (List<Object>) list.json().get("agents")) {
            rows.put((String) ((Map<String, Object>) o).get("label"), (Map<String, Object>) o);
        }
        assertEquals(Map.of("dir1.service", "a folder, not an agent file", "fifo.service", "a FIFO, not an agent"
                + " file", "gone.service", "a link to a missing file"), Map.of(
                "dir1.service", rows.get("dir1.service").get("hint"), "fifo.service", rows.get("fifo.service")
                        .get("hint"), "gone.service", rows.get("gone.service").get("hint")), list.out());
        rows.forEach((name, row) -> assertEquals(!name.equals("good.service"), "invalid".equals(row.get("state")),
                list.out()));
        assertEquals(true, rows.get("good.service").get("running"), list.out());
        Run text = heph("list");
        assertEquals(0, text.exit(), text.err());
        assertTrue(text.out().contains("    invalid: a FIFO, not an agent file"), text.out());
    }
}
