package heph.sim;

import heph.sim.daemon.SampleDaemon;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes the simulator's executables: a bash shim per tool (no JVM per call: it speaks to the simulator through
 * bash's /dev/tcp, port baked in) and bin/hephd, a /bin/sh wrapper that execs the {@link SampleDaemon} JVM so the
 * pid stays the daemon's. Files are written atomically (temp file + rename) with mode 0755.
 */
final class Shims {
    private Shims() {
    }

    static String shim(String tool, int port, String hello) {
        return """
                #!/usr/bin/env bash
                # %1$s shim of the heph simulator (generated; do not edit). Sends its argv and $PWD to the simulator
                # on 127.0.0.1:%2$d and replays the answer: stdout, stderr, exit code.
                port=%2$d
                if ! { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
                  printf '%%s\\n' "%1$s: the heph simulator is not running (nothing listens on 127.0.0.1:$port)" >&2
                  exit 1
                fi
                printf '%3$s\\0%%s\\0%%s\\0%%s\\0' '%1$s' "$PWD" "$#" >&3
                if [ "$#" -gt 0 ]; then printf '%%s\\0' "$@" >&3; fi
                code=
                while IFS= read -r line <&3; do
                  case $line in
                    O:*) printf '%%s\\n' "${line#O:}" ;;
                    o:*) printf '%%s' "${line#o:}" ;;
                    E:*) printf '%%s\\n' "${line#E:}" >&2 ;;
                    e:*) printf '%%s' "${line#e:}" >&2 ;;
                    X:*) code=${line#X:}; break ;;
                  esac
                done
                exec 3<&-
                if [ -z "$code" ]; then
                  printf '%%s\\n' "%1$s: the heph simulator on 127.0.0.1:$port closed the connection without an answer" >&2
                  exit 1
                fi
                exit "$code"
                """.formatted(tool, port, hello);
    }

    /** bin/hephd: {@code exec java ... heph.sim.daemon.SampleDaemon "$@"} with this JVM's java and classpath. */
    static String daemonWrapper(Path properties) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return "#!/bin/sh\n# hephd stand-in of the heph simulator (generated): runs heph.sim.daemon.SampleDaemon.\n"
                + "exec " + quote(java) + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto"
                + " -D" + SampleDaemon.PROPERTIES_KEY + "=" + quote(properties.toString())
                + " -cp " + quote(System.getProperty("java.class.path")) + " " + SampleDaemon.class.getName()
                + " \"$@\"\n";
    }

    static void writeExecutable(Path file, String text) throws IOException {
        writeExecutable(file, text, "rwxr-xr-x");
    }

    /** A shim holds the simulator's secret: executable and readable by its owner only. */
    static void writeShim(Path file, String text) throws IOException {
        writeExecutable(file, text, "rwx------");
    }

    private static void writeExecutable(Path file, String text, String mode) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(mode));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** POSIX single-quoting. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
