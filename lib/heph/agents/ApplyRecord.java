package heph.agents;

import heph.HephException;
import heph.fs.AtomicFile;
import heph.fs.PrivateFiles;
import heph.json.Json;
import heph.service.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which agents {@code heph apply DIR} installed from DIR, so that {@code --prune} removes exactly those whose file
 * DIR dropped, and never an agent installed by hand, by {@code --plist}/{@code --unit-file}, by another folder or by
 * another program. One file per folder, {@code <state>/applied/<sha256 of DIR's real path>.json}, mode 0600,
 * written atomically; it holds the real path and, per agent, its label (systemd: unit), the file of DIR it came
 * from, its installed plist/unit and that file's sha256 when heph installed it (a different sha256 later means
 * someone else installed the label since).
 *
 * @param dir    the folder's real path
 * @param agents the agents it installed, by label
 */
public record ApplyRecord(String dir, List<Entry> agents) {
    static final int MAX_BYTES = 4 << 20; // a record or an installed plist/unit larger than this is not one

    public ApplyRecord {
        agents = List.copyOf(agents);
    }

    /**
     * One agent a folder installed.
     *
     * @param label  its launchd label or systemd unit
     * @param source the name of its file in the folder
     * @param file   its installed plist/unit
     * @param sha256 the installed file's sha256 when heph installed it
     */
    public record Entry(String label, String source, String file, String sha256) {
    }

    /** What was on disk: the record (empty when there is none), or why it could not be parsed. */
    record Read(ApplyRecord record, Path file, String problem) {
    }

    static Path folder(Settings s) {
        return s.stateDir().resolve("applied");
    }

    static Path fileFor(Settings s, String realDir) {
        return folder(s).resolve(sha256(realDir.getBytes(StandardCharsets.UTF_8)) + ".json");
    }

    Optional<Entry> entry(String label) {
        return agents.stream().filter(e -> e.label().equals(label)).findFirst();
    }

    /** The record of {@code realDir}; an unreadable or foreign one is returned as a problem (nothing pruned). */
    static Read read(Settings s, String realDir) {
        Path file = fileFor(s, realDir);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return new Read(new ApplyRecord(realDir, List.of()), file, null);
        }
        try {
            byte[] bytes = readBounded(file).orElseThrow(() -> new IllegalArgumentException("not a regular file"));
            ApplyRecord r = parse(new String(bytes, StandardCharsets.UTF_8));
            if (!r.dir().equals(realDir)) {
                throw new IllegalArgumentException("it is the record of " + r.dir() + ", not of " + realDir);
            }
            return new Read(r, file, null);
        } catch (IOException | RuntimeException e) {
            return new Read(new ApplyRecord(realDir, List.of()), file, e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    /** Every other folder's parseable record (an unparseable one is its own folder's business). */
    static List<ApplyRecord> others(Settings s, String realDir) {
        Path folder = folder(s);
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> all = Files.list(folder)) {
            files = all.filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}\\.json")).sorted().toList();
        } catch (IOException e) {
            throw HephException.failed("cannot list " + folder + ": " + e.getMessage());
        }
        List<ApplyRecord> out = new ArrayList<>();
        for (Path f : files) {
            try {
                Optional<byte[]> bytes = readBounded(f);
                if (bytes.isPresent()) {
                    ApplyRecord r = parse(new String(bytes.get(), StandardCharsets.UTF_8));
                    if (!r.dir().equals(realDir)) {
                        out.add(r);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not parseable: it claims nothing here; its own folder's next apply keeps it aside
            }
        }
        return out;
    }

    /** Writes this record atomically, mode 0600, in a 0700 folder. */
    void write(Settings s) {
        Path file = fileFor(s, dir);
        try {
            PrivateFiles.dir(folder(s));
        } catch (IOException e) {
            throw HephException.failed("cannot create " + folder(s) + ": " + e.getMessage());
        }
        AtomicFile.write(file, toJson().getBytes(StandardCharsets.UTF_8), PosixFilePermissions.fromString("rw-------"));
    }

    String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", 1);
        m.put("dir", dir);
        List<Object> list = new ArrayList<>();
        for (Entry e : agents) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("label", e.label());
            a.put("source", e.source());
            a.put("file", e.file());
            a.put("sha256", e.sha256());
            list.add(a);
        }
        m.put("agents", list);
        return Json.write(m) + "\n";
    }

    /** Parses a record's text; an {@link IllegalArgumentException} naming what is wrong. */
    static ApplyRecord parse(String text) {
        if (!(Json.parse(text.strip()) instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        if (!(m.get("version") instanceof Number v) || v.intValue() != 1) {
            throw new IllegalArgumentException("expected \"version\": 1");
        }
        String dir = string(m, "dir", false);
        if (!(m.get("agents") instanceof List<?> list)) {
            throw new IllegalArgumentException("expected \"agents\": a list");
        }
        List<Entry> agents = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> a)) {
                throw new IllegalArgumentException("expected each agent to be an object");
            }
            Entry e = new Entry(string(a, "label", false), string(a, "source", false), string(a, "file", false),
                    string(a, "sha256", true));
            if (!Path.of(e.file()).isAbsolute() || e.source().contains("/")) {
                throw new IllegalArgumentException("expected an absolute file and a bare source name for "
                        + e.label());
            }
            agents.add(e);
        }
        return new ApplyRecord(dir, agents);
    }

    private static String string(Map<?, ?> m, String key, boolean nullable) {
        Object v = m.get(key);
        if (v instanceof String str && !str.isEmpty()) {
            return str;
        }
        if (v == null && nullable) {
            return null;
        }
        throw new IllegalArgumentException("expected \"" + key + "\": a string");
    }

    /** The sha256 of {@code file}'s bytes, or null when it is absent or no regular file (a link, a FIFO). */
    static String sha256Of(Path file) {
        try {
            return readBounded(file).map(ApplyRecord::sha256).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** A regular file's bytes (never through a link, never a FIFO), at most {@link #MAX_BYTES}; empty otherwise. */
    static Optional<byte[]> readBounded(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IOException(file + " is larger than " + (MAX_BYTES >> 20) + " MiB");
            }
            return Optional.of(bytes);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
