package heph.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.HephException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.Tag("unit")
class LabelLockTest {
    @TempDir
    Path state;

    @Test
    void aSecondTakerWaitsIsToldWhoHoldsItAndGivesUpAtTheBound() {
        List<String> told = new ArrayList<>();
        try (LabelLock held = LabelLock.acquire(state, "org.x", Duration.ofSeconds(1), told::add)) {
            HephException e = assertThrows(HephException.class,
                    () -> LabelLock.acquire(state, "org.x", Duration.ofMillis(200), told::add));
            String pid = Long.toString(ProcessHandle.current().pid());
            assertTrue(e.getMessage().startsWith("gave up after 200 ms waiting for the lock "), e.getMessage());
            assertTrue(e.getMessage().contains("(held by pid " + pid + ")"), e.getMessage());
            assertEquals(1, told.size());
            assertTrue(told.get(0).contains("another heph is working on org.x (held by pid " + pid + ")"));
        }
    }

    @Test
    void theWaiterProceedsOnceTheHolderReleases() throws Exception {
        LabelLock held = LabelLock.acquire(state, "org.x", Duration.ofSeconds(1), m -> { });
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
            try (LabelLock l = LabelLock.acquire(state, "org.x", Duration.ofSeconds(10), m -> { })) {
                return true;
            }
        });
        Thread.sleep(100);
        assertTrue(!waiter.isDone(), "must wait while the lock is held");
        held.close();
        assertTrue(waiter.get(5, TimeUnit.SECONDS));
    }

    @Test
    void differentLabelsDoNotBlockEachOther() {
        List<String> told = new ArrayList<>();
        try (LabelLock a = LabelLock.acquire(state, "org.a", Duration.ofSeconds(1), told::add);
             LabelLock b = LabelLock.acquire(state, "org.b", Duration.ofMillis(100), told::add)) {
            assertEquals(List.of(), told, "nobody waited");
        }
    }

    /**
     * fcntl locks belong to the process: closing any descriptor of the file drops them for every thread. The old lock
     * let a second thread open (and close) its own channel, which freed the first thread's lock, and another
     * process got in. Threads of this JVM and two other JVMs take turns; the ledger must show strict alternation.
     */
    @Test
    void threadsOfOneJvmAndOtherProcessesNeverHoldItAtOnce() throws Exception {
        Path ledger = state.resolve("ledger");
        List<Process> procs = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            procs.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                    LockLedger.class.getName(), state.toString(), ledger.toString(), "proc" + p, "12", "15")
                    .redirectErrorStream(true).redirectOutput(state.resolve("proc" + p + ".log").toFile()).start());
        }
        List<CompletableFuture<Void>> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String id = "thread" + t;
            threads.add(CompletableFuture.runAsync(() -> LockLedger.run(state, ledger, id, 12, 15),
                    java.util.concurrent.Executors.newSingleThreadExecutor()));
        }
        for (CompletableFuture<Void> f : threads) {
            f.get(120, TimeUnit.SECONDS);
        }
        for (Process p : procs) {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "a lock-taking process did not finish");
            assertEquals(0, p.exitValue(), java.nio.file.Files.readString(state.resolve("proc0.log")));
        }
        List<String> lines = java.nio.file.Files.readAllLines(ledger);
        assertEquals(2 * 12 * 6, lines.size());
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < lines.size(); i += 2) {
            String in = lines.get(i);
            assertTrue(in.startsWith("in "), "line " + (i + 1) + ": " + in + " while another holder is inside");
            assertEquals("out " + in.substring(3), lines.get(i + 1), "line " + (i + 2) + ": two holders at once");
            seen.add(in.substring(3));
        }
        assertEquals(6, seen.size(), "every thread and process got the lock: " + seen);
    }

    @Test
    void aSecondHolderInTheSameJvmDoesNotReleaseTheFirstOnesLockForOtherProcesses() throws Exception {
        try (LabelLock held = LabelLock.acquire(state, "org.x", Duration.ofSeconds(1), m -> { })) {
            // another thread of this JVM tries and gives up: under fcntl its channel's close freed the lock before
            java.util.concurrent.CompletionException ce = assertThrows(java.util.concurrent.CompletionException.class,
                    () -> CompletableFuture.supplyAsync(
                            () -> LabelLock.acquire(state, "org.x", Duration.ofMillis(100), m -> { })).join().close());
            assertTrue(ce.getCause() instanceof HephException, String.valueOf(ce.getCause()));
            Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    LockProbe.class.getName(), state.toString()).redirectErrorStream(true).start();
            assertTrue(other.waitFor(60, TimeUnit.SECONDS));
            assertEquals("busy", new String(other.getInputStream().readAllBytes()).strip(),
                    "another process must still find the lock held");
        }
    }

    @Test
    void theLockFileAndItsFolderAreTheUsersAloneWhateverTheUmask() throws Exception {
        Path dir = state.resolve("deeper/heph");
        try (LabelLock l = LabelLock.acquire(dir, "org.x", Duration.ofSeconds(1), m -> { })) {
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(dir.resolve("org.x.lock"))));
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(dir)));
        }
    }

    /**
     * A lock file that is a symlink used to be followed: its target was truncated and got heph's pid. Now the link is
     * refused (exit 1, naming the lock) and both the link and its target are left exactly as they were.
     */
    @Test
    void aSymlinkedLockIsRefusedAndItsTargetIsLeftAlone() throws Exception {
        Path target = java.nio.file.Files.writeString(state.getParent().resolve(state.getFileName() + "-precious"),
                "do not touch\n");
        try {
            java.nio.file.Files.createSymbolicLink(state.resolve("org.x.lock"), target);
            HephException e = assertThrows(HephException.class,
                    () -> LabelLock.acquire(state, "org.x", Duration.ofSeconds(1), m -> { }).close());
            assertEquals(heph.ExitCode.FAILED, e.exitCode());
            assertTrue(e.getMessage().contains(state.resolve("org.x.lock") + " is a symlink"), e.getMessage());
            assertEquals("do not touch\n", java.nio.file.Files.readString(target));
            assertTrue(java.nio.file.Files.isSymbolicLink(state.resolve("org.x.lock")));
        } finally {
            java.nio.file.Files.deleteIfExists(target);
        }
    }

    /** A hard link would let truncating the lock truncate another file: refused too, the other file untouched. */
    @Test
    void aHardLinkedLockIsRefused() throws Exception {
        Path other = java.nio.file.Files.writeString(state.resolve("other"), "keep\n");
        java.nio.file.Files.createLink(state.resolve("org.x.lock"), other);
        HephException e = assertThrows(HephException.class,
                () -> LabelLock.acquire(state, "org.x", Duration.ofSeconds(1), m -> { }).close());
        assertTrue(e.getMessage().contains("has 2 hard links"), e.getMessage());
        assertEquals("keep\n", java.nio.file.Files.readString(other));
    }

    /** A FIFO (or a folder) where the lock goes is refused before anything opens it, so heph cannot hang on it. */
    @Test
    void aFifoOrFolderAtTheLockIsRefused() throws Exception {
        Process mk = new ProcessBuilder("mkfifo", state.resolve("org.f.lock").toString()).start();
        assertTrue(mk.waitFor(30, TimeUnit.SECONDS) && mk.exitValue() == 0);
        java.nio.file.Files.createDirectory(state.resolve("org.d.lock"));
        HephException f = assertThrows(HephException.class,
                () -> LabelLock.acquire(state, "org.f", Duration.ofSeconds(1), m -> { }).close());
        assertTrue(f.getMessage().contains("is a FIFO"), f.getMessage());
        HephException d = assertThrows(HephException.class,
                () -> LabelLock.acquire(state, "org.d", Duration.ofSeconds(1), m -> { }).close());
        assertTrue(d.getMessage().contains("is a directory"), d.getMessage());
    }

    @Test
    void aFreshLockIsPrivateAndHoldsThePid() throws Exception {
        try (LabelLock l = LabelLock.acquire(state, "org.x", Duration.ofSeconds(1), m -> { })) {
            Path f = state.resolve("org.x.lock");
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(f)));
            assertEquals(ProcessHandle.current().pid() + "\n", java.nio.file.Files.readString(f));
        }
    }
}
