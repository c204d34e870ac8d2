package heph.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Process-group signalling without a shell: on Linux the members of a group are found in /proc/&lt;pid&gt;/stat and
 * signalled one by one (Java has no killpg); elsewhere {@code kill -s KILL -- -PGID} is run. Zombies count as gone.
 * Never signals group 0/1 or the simulator's own group.
 */
public final class ProcessGroups {
    private static final Path PROC = Path.of("/proc");

    private ProcessGroups() {
    }

    /** SIGKILLs every live member of {@code pgid}, repeating a few rounds to catch processes forked meanwhile. */
    static void killGroup(long pgid) {
        if (pgid <= 1 || pgid == ownGroup()) {
            return;
        }
        if (!Files.isDirectory(PROC.resolve("self"))) {
            runKill(pgid);
            return;
        }
        for (int round = 0; round < 5; round++) {
            List<Long> members = members(pgid);
            if (members.isEmpty()) {
                return;
            }
            members.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    /** Live (non-zombie) processes whose process group is {@code pgid}. Linux only; empty elsewhere. */
    public static List<Long> members(long pgid) {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path d : dirs) {
                String[] f = statFields(d.resolve("stat"));
                if (f != null && !f[0].equals("Z") && !f[0].equals("X") && Long.parseLong(f[2]) == pgid) {
                    out.add(Long.parseLong(d.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** Whether {@code pid} exists and is not a zombie (a reaped-later corpse is gone for every purpose here). */
    public static boolean isLive(long pid) {
        String[] f = statFields(PROC.resolve(Long.toString(pid)).resolve("stat"));
        if (f == null) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        return !f[0].equals("Z") && !f[0].equals("X");
    }

    /** Fields after "pid (comm)": [state, ppid, pgrp, ...]; null if the process is gone. */
    private static String[] statFields(Path stat) {
        try {
            String s = new String(Files.readAllBytes(stat), StandardCharsets.UTF_8);
            return s.substring(s.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long ownGroup() {
        String[] f = statFields(PROC.resolve("self").resolve("stat"));
        return f == null ? -1 : Long.parseLong(f[2]);
    }

    private static void runKill(long pgid) {
        try {
            Process p = new ProcessBuilder("kill", "-s", "KILL", "--", "-" + pgid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            // nothing left to do: the group cannot be signalled on this system
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
