package heph.race;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** `heph demo` in-process: the table's rows, exit 0, and nothing left behind (no daemon, no folder). */
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Tag("simulator")
class DemoCommandTest {
    private static final Pattern PIDS = Pattern.compile("(\\d+|-) -> (\\d+|-)");

    @Test
    void demoReplaysTheVerificationShowsTheNaiveFailureAndLeavesNothingBehind() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[] {"demo", "--cycles", "1", "--seed", "5"}, new PrintWriter(out),
                new PrintWriter(err), Map.of(), Path.of("").toAbsolutePath(), false);
        String table = out.toString();
        assertEquals(0, code, table + err);
        List<String> lines = table.lines().toList();
        assertTrue(lines.get(0).startsWith("step  "), table);
        List<String> steps = lines.subList(1, 7).stream().map(l -> l.split("  ")[0]).toList();
        assertEquals(List.of("start 1", "kickstart 1", "kickstart 2", "kickstart 3", "reload 1", "naive 1"), steps);
        for (String row : lines.subList(1, 6)) {
            assertTrue(row.contains("  ok  ") && row.contains("answers"), row);
        }
        for (int i = 2; i <= 4; i++) {
            assertTrue(lines.get(i).contains("  kickstart  "), lines.get(i)); // docs/facts/launchd-facts.md §4: in place
        }
        // the reload re-read the plist: the daemon's own argv shows the new interval (no "(argv: no)")
        assertTrue(lines.get(5).contains("  reload  ") && lines.get(5).contains("  600  "), lines.get(5));
        // docs/facts/launchd-facts.md §1 transitional: bootstrap right after bootout -> 5
        assertTrue(lines.get(6).contains("FAIL") && lines.get(6).contains("exit 5: Bootstrap failed: 5: Input/output"
                + " error"), lines.get(6));
        assertTrue(table.contains("heph reload: 0/1 failed"), table);
        assertTrue(table.contains("naive bootout+bootstrap: 1/1 failed"), table);
        assertNothingLeft(table, err.toString());
    }

    @Test
    void demoWithTheSystemdBackendReloadsWithDaemonReloadAndShowsTheNaiveEditRunningTheOldDefinition() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[] {"demo", "--backend", "systemd", "--cycles", "1", "--seed", "5"},
                new PrintWriter(out), new PrintWriter(err), Map.of(), Path.of("").toAbsolutePath(), false);
        String table = out.toString();
        assertEquals(0, code, table + err);
        List<String> lines = table.lines().toList();
        List<String> steps = lines.subList(1, 7).stream().map(l -> l.split("  ")[0]).toList();
        assertEquals(List.of("start 1", "restart 1", "restart 2", "restart 3", "reload 1", "naive 1"), steps);
        for (String row : lines.subList(1, 6)) {
            assertTrue(row.contains("  ok  ") && row.contains("answers"), row);
        }
        assertTrue(lines.get(5).contains("  reload  ") && lines.get(5).contains("  600  "), lines.get(5));
        // docs/facts/launchd-facts.md §12: an edited unit without daemon-reload keeps running the old definition, with a warning
        assertTrue(lines.get(6).contains("FAIL") && lines.get(6).contains("still runs the old definition: Warning:"
                + " The unit file, source configuration file or drop-ins of heph.service changed on disk."),
                lines.get(6));
        assertNothingLeft(table, err.toString());
    }

    private static void assertNothingLeft(String table, String err) {
        List<Long> pids = new ArrayList<>();
        Matcher m = PIDS.matcher(table);
        while (m.find()) {
            for (int g = 1; g <= 2; g++) {
                if (!m.group(g).equals("-")) {
                    pids.add(Long.parseLong(m.group(g)));
                }
            }
        }
        assertTrue(pids.size() >= 6, table);
        for (long pid : pids) { // alive and still a sample daemon (pids are reused quickly on a busy box)
            assertFalse(ProcessHandle.of(pid).filter(ProcessHandle::isAlive).flatMap(p -> p.info().commandLine())
                    .map(c -> c.contains("heph.sim.daemon.SampleDaemon")).orElse(false), "daemon " + pid + " survived");
        }
        Matcher folder = Pattern.compile("simulator folder (\\S+)").matcher(err);
        assertTrue(folder.find(), err);
        String dir = folder.group(1);
        assertFalse(Files.exists(Path.of(dir)), dir + " was not deleted");
        List<String> left = ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(dir))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("")).toList();
        assertEquals(List.of(), left, "processes of the demo still running");
    }
}
