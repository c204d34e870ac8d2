package heph.install;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code heph install-cli} did.
 *
 * @param changed     whether anything was written (jars copied, archive made, launcher written)
 * @param launcher    the launcher's path
 * @param app         the folder holding the copied jars and the archive
 * @param fingerprint hash of the jars and the JDK ({@link CliFingerprint})
 * @param archive     the class-data archive the launcher uses
 * @param javaHome    the JDK the launcher runs
 * @param source      heph.java of the clone the launcher rebuilds from, or null
 * @param message     one line for the user
 * @param warnings    things the user must know (not on PATH, no archive)
 */
public record InstallResult(boolean changed, Path launcher, Path app, String fingerprint, ClassDataArchive archive,
                            Path javaHome, Path source, String message, List<String> warnings) {
    public InstallResult {
        warnings = List.copyOf(warnings);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action", "install-cli");
        m.put("changed", changed);
        m.put("launcher", launcher.toString());
        m.put("dir", app.toString());
        m.put("fingerprint", fingerprint);
        m.put("archive", archive.id);
        m.put("java_home", javaHome.toString());
        m.put("source", source == null ? null : source.toString());
        m.put("message", message);
        m.put("warnings", warnings);
        return m;
    }
}
