package heph.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/** The simulator spawns processes on request, so only its own shims (owner-only, holding a secret) may ask. */
@org.junit.jupiter.api.Tag("simulator")
class SimServerSecretTest extends SimTestSupport {
    @Test
    void aRequestWithoutTheSecretGetsNoAnswerAndTheShimsAreTheOwnersAlone() throws Exception {
        start();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sim.launchctl())));
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), sim.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write((SimServer.MAGIC + "\0launchctl\0/\0" + "1\0print-disabled\0").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            assertEquals(-1, in.read(), "the connection is closed without a reply");
        }
        assertEquals(0, sim.calls().size(), "nothing was handled");
        assertEquals(0, h.lc("print-disabled", sim.domain()).exitCode(), "the real shim still works");
    }
}
