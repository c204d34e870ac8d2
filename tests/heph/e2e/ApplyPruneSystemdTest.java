package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.proc.ZtExecRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code heph apply DIR --prune} through the systemctl fake: the units an earlier apply of DIR installed and DIR
 * dropped are disabled, stopped and their files removed, with one daemon-reload for the whole run; a unit of another
 * folder, one started by hand with --unit-file (its name alike) and one another program started survive. The dry
 * run lists the same systemctl calls the real run makes; a second run changes nothing.
 */
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Tag("simulator")
class ApplyPruneSystemdTest extends SystemdHephBaseTest {
    static final Set<String> READ_ONLY = Set.of("show", "is-active", "is-enabled", "is-system-running", "status",
            "cat", "list-units", "list-unit-files", "--version");

    Path unitDir() {
        return sim.home().resolve(".config/systemd/user");
    }

    static Path unit(Path folder, String name, String... extra) throws IOException {
        Files.createDirectories(folder);
        Path p = folder.resolve(name + ".service");
        Files.writeString(p, "[Unit]\nDescription=" + name + "\n\n[Service]\nExecStart=/bin/sleep 10000"
                + (extra.length == 0 ? "" : " " + String.join(" ", extra)) + "\n\n[Install]\nWantedBy=default.target\n");
        return p;
    }

    boolean running(String name) {
        return sim.systemd().mainPid(name + ".service").isPresent();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> services(Run r) {
        return (List<Map<String, Object>>) r.json().get("services");
    }

    /** The systemctl calls that change systemd's state, as typed after "systemctl --user". */
    List<String> mutating() {
        return calls().stream().filter(c -> !READ_ONLY.contains(c.split(" ")[0])).toList();
    }

    /** The dry run's calls that change something; daemon-reload, listed by each unit, once at the end. */
    @SuppressWarnings("unchecked")
    static List<String> plannedMutating(Run dry) {
        List<String> out = new ArrayList<>();
        boolean reload = false;
        for (Map<String, Object> s : services(dry)) {
            for (List<String> argv : (List<List<String>>) s.get("commands")) {
                String call = String.join(" ", argv.subList(2, argv.size()));
                if (call.equals("daemon-reload")) {
                    reload = true;
                } else if (!READ_ONLY.contains(argv.get(2))) {
                    out.add(call);
                }
            }
        }
        if (reload) {
            out.add("daemon-reload");
        }
        return out;
    }

    void systemctl(String... args) {
        List<String> argv = new ArrayList<>(List.of(sim.bin("systemctl").toString(), "--user"));
        argv.addAll(List.of(args));
        assertEquals(0, new ZtExecRunner().run(argv, Duration.ofSeconds(20)).exitCode(), argv.toString());
    }

    @Test
    void pruneRemovesExactlyTheFolderDroppedUnitsWithOneDaemonReload() throws IOException {
        Path dotfiles = dir.resolve("dotfiles");
        for (String n : List.of("a", "b", "c")) {
            unit(dotfiles, n);
        }
        Path other = dir.resolve("other");
        unit(other, "d");
        Path hand = unit(dir.resolve("hand"), "b2");
        assertEquals(0, heph("apply", dotfiles.toString()).exit());
        assertEquals(0, heph("apply", other.toString()).exit());
        assertEquals(0, heph("start", "--unit-file", hand.toString()).exit());
        unit(unitDir(), "foreign"); // another program's unit, started with systemctl itself
        systemctl("daemon-reload");
        systemctl("start", "foreign.service");
        for (String n : List.of("a", "b", "c", "d", "b2", "foreign")) {
            assertTrue(running(n), n);
        }
        byte[] cBytes = Files.readAllBytes(unitDir().resolve("c.service"));
        Files.delete(dotfiles.resolve("b.service"));
        Files.delete(dotfiles.resolve("c.service"));
        unit(dotfiles, "a", "1"); // a changed too: its reload and the prune share one daemon-reload

        sim.clearCalls();
        Run said = heph("apply", dotfiles.toString(), "--dry-run");
        assertEquals(0, said.exit(), said.err());
        assertTrue(said.out().contains("heph: dry run: b.service: not in " + dotfiles + " any more; --prune removes"
                + " it\n"), said.out());
        Run saidJson = heph("apply", dotfiles.toString(), "--dry-run", "--json");
        Map<String, Object> b = services(saidJson).stream().filter(s -> "b.service".equals(s.get("label")))
                .findFirst().orElseThrow();
        assertEquals(List.of("dropped", false, true), List.of(b.get("path"), b.get("changed"), b.get("ok")), b.toString());
        assertEquals(List.of(), mutating());

        Run dry = heph("apply", dotfiles.toString(), "--prune", "--dry-run", "--json");
        assertEquals(0, dry.exit(), dry.err());
        assertEquals(List.of(), mutating(), "the dry run touches nothing");
        Map<String, Map<String, Object>> planned = new TreeMap<>();
        services(dry).forEach(s -> planned.put(s.get("label").toString(), s));
        assertEquals(Set.of("a.service", "b.service", "c.service"), planned.keySet());
        assertEquals("removed", planned.get("c.service").get("path"));
        List<String> plan = plannedMutating(dry);
        assertTrue(plan.containsAll(List.of("disable --now b.service", "disable --now c.service")), plan.toString());
        assertTrue(running("b") && Files.exists(unitDir().resolve("b.service")));

        sim.clearCalls();
        Run real = heph("apply", dotfiles.toString(), "--prune", "--json");
        assertEquals(0, real.exit(), real.err());
        assertEquals(1, calls().stream().filter("daemon-reload"::equals).count(), "one daemon-reload: " + calls());
        List<String> did = mutating();
        assertEquals(plan.stream().sorted().toList(), did.stream().sorted().toList(), "the calls planned: " + did);
        int reload = did.indexOf("daemon-reload");
        assertEquals(List.of("disable --now b.service", "disable --now c.service"), did.subList(0, reload),
                "the dropped units go before the one daemon-reload: " + did);
        Map<String, Map<String, Object>> done = new TreeMap<>();
        services(real).forEach(s -> done.put(s.get("label").toString(), s));
        assertEquals("reload", done.get("a.service").get("how"));
        for (String n : List.of("b", "c")) {
            Map<String, Object> s = done.get(n + ".service");
            assertEquals("removed", s.get("how"), s.toString());
            assertEquals(true, s.get("changed"));
            assertEquals(unitDir().resolve(n + ".service").toString(), s.get("file"));
            assertFalse(Files.exists(unitDir().resolve(n + ".service")), n);
            assertFalse(running(n), n);
        }
        String message = done.get("c.service").get("message").toString();
        Path copy = Path.of(message.substring(message.indexOf("its last file is kept as ") + 25));
        assertTrue(copy.startsWith(sim.home().resolve(".local/state/heph/pruned")), message);
        assertArrayEquals(cBytes, Files.readAllBytes(copy));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)));
        for (String n : List.of("a", "d", "b2", "foreign")) {
            assertTrue(running(n), n + " survives");
        }

        sim.clearCalls();
        Run again = heph("apply", dotfiles.toString(), "--prune", "--json");
        assertEquals(0, again.exit(), again.err());
        assertEquals(false, again.json().get("changed"));
        assertEquals(List.of("a.service"), services(again).stream().map(s -> s.get("label")).toList());
        assertEquals(List.of(), mutating(), "the second run: no mutating call");
    }

    /** Pruning only (nothing of the folder changed) still reloads once, and the dry run matches exactly. */
    @Test
    void pruningAloneMatchesItsDryRunCallForCall() throws IOException {
        Path dotfiles = dir.resolve("dotfiles");
        for (String n : List.of("a", "b", "c")) {
            unit(dotfiles, n);
        }
        assertEquals(0, heph("apply", dotfiles.toString()).exit());
        Files.delete(dotfiles.resolve("a.service"));
        Files.delete(dotfiles.resolve("c.service"));
        sim.clearCalls();
        List<String> plan = plannedMutating(heph("apply", dotfiles.toString(), "--prune", "--dry-run", "--json"));
        assertEquals(List.of("disable --now a.service", "disable --now c.service", "daemon-reload"), plan);
        Run real = heph("apply", dotfiles.toString(), "--prune", "--json");
        assertEquals(0, real.exit(), real.err());
        assertEquals(plan, mutating(), "call for call");
        assertTrue(running("b"));
        assertFalse(running("a") || running("c"));
    }
    /** A hand-edited record naming another program's unit through "..": not heph's entry, nothing stopped. */
    @Test
    void aRecordEntryNamingTheUnitThroughDotDotIsIgnored() throws Exception {
        Path dotfiles = dir.resolve("dotfiles");
        unit(dotfiles, "a");
        assertEquals(0, heph("apply", dotfiles.toString()).exit());
        Path foreign = unit(unitDir(), "foreign"); // another program's unit, started with systemctl itself
        systemctl("daemon-reload");
        systemctl("start", "foreign.service");
        Path record;
        try (java.util.stream.Stream<Path> all = Files.list(sim.home().resolve(".local/state/heph/applied"))) {
            record = all.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        String sneaky = unitDir() + "/../user/foreign.service";
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(foreign)));
        Files.writeString(record, "{\"version\": 1, \"dir\": \"" + dotfiles.toRealPath() + "\", \"agents\":"
                + " [{\"label\": \"foreign.service\", \"source\": \"foreign.service\", \"file\": \"" + sneaky
                + "\", \"sha256\": \"" + sha + "\"}]}\n");

        Run r = heph("apply", dotfiles.toString(), "--prune", "--json");
        assertEquals(0, r.exit(), r.out());
        assertTrue(running("foreign"), r.out());
        assertTrue(Files.exists(foreign));
        assertTrue(r.err().contains("heph did not write that entry"), r.err());
        assertFalse(Files.readString(record).contains("foreign"), Files.readString(record));
    }

    /** A failed daemon-reload after a unit was removed: that prune is reported failed, stays recorded, is redone. */
    @Test
    void aFailedDaemonReloadIsReportedAndThePruneIsRedoneNextTime() throws Exception {
        Path dotfiles = dir.resolve("dotfiles");
        unit(dotfiles, "a");
        unit(dotfiles, "b");
        assertEquals(0, heph("apply", dotfiles.toString()).exit());
        Files.delete(dotfiles.resolve("b.service"));
        Path wrapper = dir.resolve("systemctl-no-reload");
        Files.writeString(wrapper, "#!/bin/sh\nif [ \"$2\" = daemon-reload ]; then echo 'Failed to reload daemon:"
                + " Access denied' >&2; exit 1; fi\nexec " + sim.bin("systemctl") + " \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        String real = env.put("HEPH_SYSTEMCTL", wrapper.toString());
        Run failed = heph("apply", dotfiles.toString(), "--prune", "--json");
        env.put("HEPH_SYSTEMCTL", real);
        assertEquals(1, failed.exit(), failed.out());
        Map<String, Object> b = services(failed).stream().filter(s -> "b.service".equals(s.get("label")))
                .findFirst().orElseThrow();
        assertEquals(false, b.get("ok"));
        assertTrue(b.get("message").toString().startsWith("pruning b.service failed: daemon-reload failed after"
                + " removing it"), b.toString());
        assertTrue(failed.json().get("message").toString().endsWith(": 1 service(s), 0 changed, 1 failed"),
                failed.out());
        assertFalse(running("b"));

        Run again = heph("apply", dotfiles.toString(), "--prune", "--json");
        assertEquals(0, again.exit(), again.out());
        assertEquals(List.of("a.service", "b.service"), services(again).stream().map(s -> s.get("label")).toList());
        assertTrue(calls().contains("daemon-reload"), "the reload done this time: " + calls());
        sim.clearCalls();
        Run third = heph("apply", dotfiles.toString(), "--prune", "--json");
        assertEquals(List.of("a.service"), services(third).stream().map(s -> s.get("label")).toList());
        assertEquals(List.of(), mutating());
    }
}
