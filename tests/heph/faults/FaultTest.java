package heph.faults;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** What every fault test shares: a temp folder for its simulator, and the harness, closed after each test. */
abstract class FaultTest {
    @TempDir
    Path dir;
    FaultHarness h;

    @AfterEach
    void cleanUp() {
        if (h != null) {
            h.close();
        }
    }
}
