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
}
