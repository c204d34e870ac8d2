package heph.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dd.plist.NSDictionary;
import com.dd.plist.XMLPropertyListWriter;
import heph.proc.ExecResult;
import heph.proc.ZtExecRunner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SimMain in its own JVM: prints export lines, serves the shim, and on SIGTERM kills its daemons and exits 0. */
@org.junit.jupiter.api.Tag("simulator")
class SimMainTest {
    @Test
    void runsInTheForegroundAndKillsItsDaemonsOnSigterm(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process main = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), "heph.sim.SimMain", "--dir", dir.toString(),
                "--cleanup-lag-ms", "100-200").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long daemon = -1;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(main.getInputStream(),
                    StandardCharsets.UTF_8));
            assertTrue(out.readLine().startsWith("# heph launchd simulator: gui/"));
            Path launchctl = dir.resolve("bin/launchctl").toAbsolutePath();
            assertEquals("export HEPH_LAUNCHCTL='" + launchctl + "'", out.readLine());
            assertEquals("export HEPH_SYSTEMCTL='" + dir.resolve("bin/systemctl").toAbsolutePath() + "'",
                    out.readLine());
            // heph logs under the systemd simulator reads the simulated journal through this shim
            assertEquals("export HEPH_JOURNALCTL='" + dir.resolve("bin/journalctl").toAbsolutePath() + "'",
                    out.readLine());

            String domain = "gui/" + new com.sun.security.auth.module.UnixSystem().getUid();
            Path plist = dir.resolve("home/Library/LaunchAgents/org.hephaestus.hephd.plist");
            NSDictionary d = new NSDictionary();
            d.put("Label", "org.hephaestus.hephd");
            d.put("ProgramArguments", new String[] {dir.resolve("bin/hephd").toString()});
            d.put("KeepAlive", true);
            Files.createDirectories(plist.getParent());
            XMLPropertyListWriter.write(d, plist);
            ExecResult r = new ZtExecRunner().run(List.of(launchctl.toString(), "bootstrap", domain,
                    plist.toString()), Duration.ofSeconds(10));
            assertEquals(0, r.exitCode(), r.stderr());
            Path socket = dir.resolve("home/.local/share/heph/hephd.sock");
            Map<String, Object> info = SimHarness.awaitValue("daemon answering", () -> {
                try {
                    return SimHarness.info(socket);
                } catch (IOException e) {
                    return Map.<String, Object>of();
                }
            }, m -> m.containsKey("pid"), Duration.ofSeconds(20));
            daemon = ((Number) info.get("pid")).longValue();

            main.destroy(); // SIGTERM, as a user's kill would send
            assertTrue(main.waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, main.exitValue());
            assertFalse(ProcessGroups.isLive(daemon), "daemon " + daemon + " outlived SimMain");
            ExecResult gone = new ZtExecRunner().run(List.of(launchctl.toString(), "print", domain),
                    Duration.ofSeconds(10));
            assertEquals(1, gone.exitCode()); // the shim reports the simulator gone
        } finally {
            main.destroyForcibly();
            if (daemon > 0) {
                ProcessGroups.killGroup(daemon);
            }
        }
    }
}
