package heph.launchd;

import heph.launchd.plist.LaunchdPlist;
import com.dd.plist.NSDictionary;
import heph.HephException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The folders of a plist's StandardOutPath/StandardErrorPath, made ready before every bootstrap or kickstart.
 * launchd needs both log paths writable; an unwritable one fails the spawn with 78 EX_CONFIG (docs/facts/launchd-facts.md §11,
 * §13), and whether launchd creates a missing folder is disputed, so heph creates it itself: mode 0700 for every
 * folder it creates, existing folders untouched. A path launchd could not write (a folder that is not writable, a
 * file where a folder should be, a folder or an unwritable file where the log should be) is a one-line failure
 * before anything is unloaded.
 */
public final class LogFolders {
    static final String[] KEYS = {"StandardOutPath", "StandardErrorPath"};

    private LogFolders() {
    }

    /** Prepares the log folders of {@code plist}; returns the folders heph created (empty: none). */
    public static List<Path> prepare(NSDictionary plist) {
        return prepare(plist, "hephd");
    }

    /** As {@link #prepare(NSDictionary)}, messages naming the job {@code who} ("hephd" or an agent's label). */
    public static List<Path> prepare(NSDictionary plist, String who) {
        Set<Path> created = new LinkedHashSet<>();
        for (String key : KEYS) {
            String value = LaunchdPlist.string(plist, key).orElse(null);
            if (value != null && !value.isBlank()) {
                created.addAll(prepare(key, value, who));
            }
        }
        return List.copyOf(created);
    }

    /**
     * As {@link #prepare(NSDictionary, String)}, creating nothing: a missing folder passes when its first existing
     * ancestor is a folder heph could create it in. For the decision a dry run shares with the real run.
     */
    public static void check(NSDictionary plist, String who) {
        for (String key : KEYS) {
            String value = LaunchdPlist.string(plist, key).orElse(null);
            if (value != null && !value.isBlank()) {
                check(key, value, who);
            }
        }
    }

    static void check(String key, String value, String who) {
        Path log = Path.of("/").resolve(value).normalize();
        Path folder = log.getParent();
        if (folder == null) {
            return;
        }
        Path blocker = firstNonFolder(folder);
        if (blocker != null) {
            throw unusable(who, key, log, blocker + " is a file, not a folder");
        }
        Path existing = folder;
        while (existing != null && !Files.isDirectory(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isWritable(existing) || !Files.isExecutable(existing)) {
            throw unusable(who, key, log, existing == folder ? "its folder " + folder + " is not writable"
                    : "cannot create its folder " + folder + " (" + existing + " is not writable)");
        }
        if (existing != folder) {
            return; // the log and its folder would be created
        }
        if (Files.isDirectory(log)) {
            throw unusable(who, key, log, "it is a folder");
        }
        if (Files.exists(log, LinkOption.NOFOLLOW_LINKS) && !Files.isWritable(log)) {
            throw unusable(who, key, log, "the file is not writable");
        }
    }

    /** As {@link #prepare(NSDictionary)} for a plist's bytes (the previous plist heph puts back). */
    public static List<Path> prepare(byte[] plistBytes, String source) {
        return prepare(LaunchdPlist.parse(plistBytes, source));
    }

    static List<Path> prepare(byte[] plistBytes, String source, String who) {
        return prepare(LaunchdPlist.parse(plistBytes, source), who);
    }

    /** One log path: launchd opens it relative to "/" when relative (no WorkingDirectory in heph's plist). */
    static List<Path> prepare(String key, String value) {
        return prepare(key, value, "hephd");
    }

    static List<Path> prepare(String key, String value, String who) {
        Path log = Path.of("/").resolve(value).normalize();
        Path folder = log.getParent();
        List<Path> created = new ArrayList<>();
        if (folder == null) {
            return created;
        }
        Path blocker = firstNonFolder(folder);
        if (blocker != null) {
            throw unusable(who, key, log, blocker + " is a file, not a folder");
        }
        if (!Files.isDirectory(folder)) {
            created.addAll(create(who, key, log, folder));
        }
        if (!Files.isWritable(folder) || !Files.isExecutable(folder)) {
            throw unusable(who, key, log, "its folder " + folder + " is not writable");
        }
        if (Files.isDirectory(log)) {
            throw unusable(who, key, log, "it is a folder");
        }
        if (Files.exists(log, LinkOption.NOFOLLOW_LINKS) && !Files.isWritable(log)) {
            throw unusable(who, key, log, "the file is not writable");
        }
        return created;
    }

    /** The first existing ancestor (or {@code folder} itself) that is not a folder, or null. */
    private static Path firstNonFolder(Path folder) {
        for (Path p = folder; p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                return Files.isDirectory(p) ? null : p;
            }
        }
        return null;
    }

    /** Creates the missing folders down to {@code folder}, each 0700 whatever the umask; returns them. */
    private static List<Path> create(String who, String key, Path log, Path folder) {
        List<Path> missing = new ArrayList<>();
        for (Path p = folder; p != null && !Files.exists(p); p = p.getParent()) {
            missing.add(0, p);
        }
        List<Path> created = new ArrayList<>();
        for (Path p : missing) {
            try {
                Files.createDirectory(p);
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
                created.add(p);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another process made it meanwhile: not ours, leave it as it is
            } catch (IOException | UnsupportedOperationException e) {
                throw unusable(who, key, log, "cannot create its folder " + p + " (" + e.getMessage() + ")");
            }
        }
        return created;
    }

    private static HephException unusable(String who, String key, Path log, String why) {
        return HephException.failed(who + "'s log " + log + " (" + key + ") is not usable: " + why + "; launchd"
                + " would fail to start " + who + " (78: EX_CONFIG). Fix it, or set another " + key + " in the plist");
    }
}
