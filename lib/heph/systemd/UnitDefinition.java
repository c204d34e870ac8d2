package heph.systemd;

import heph.HephException;
import heph.config.DaemonConfig;
import heph.config.FlagOverrides;
import heph.fs.SetAside;
import heph.fs.Owner;
import heph.service.DesiredConfig;
import heph.service.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * heph's unit file on disk and the one it wants there. heph manages Description, Type, ExecStart, Restart,
 * RestartSec and WantedBy; every other line of an existing unit (Environment= above all, but also
 * hand-added keys and sections) is the user's and is carried over as written.
 */
final class UnitDefinition {
    static final String DESCRIPTION = "heph daemon (hephd)";
    private static final Map<String, Set<String>> MANAGED = Map.of(
            "Unit", Set.of("Description"),
            "Service", Set.of("Type", "ExecStart", "Restart", "RestartSec"),
            "Install", Set.of("WantedBy"));

    /** An existing unit: its text and what it parsed to. */
    record OnDisk(String text, UnitFile.Parsed parsed) {
    }

    private UnitDefinition() {
    }

    /**
     * The installed unit, or null when there is none. Refuses a symlink or another user's file before anything
     * else happens; a unit that does not parse is only marked in {@code aside} (moved aside right before heph
     * writes a fresh one) and null is returned.
     */
    static OnDisk readForWrite(Path unit, SetAside aside) {
        return readForWrite(unit, aside, new ArrayList<>());
    }

    /**
     * As {@link #readForWrite(Path, SetAside)}, and a file that cannot be read (an I/O error, or not UTF-8) is
     * treated like an unparseable one, except that it is overwritten rather than moved aside. When null is
     * returned, {@code problems} gets why: nothing for a missing file, "unreadable (...)" or "unparseable".
     */
    static OnDisk readForWrite(Path unit, SetAside aside, List<String> problems) {
        Owner.requireOwnRegularFile(unit);
        if (!Files.exists(unit)) {
            return null;
        }
        String text;
        try {
            text = heph.fs.BoundedRead.definitionText(unit);
        } catch (IOException e) {
            problems.add("unreadable (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
            return null;
        }
        try {
            return new OnDisk(text, UnitFile.parse(text, unit.toString()));
        } catch (UnitParseException e) {
            aside.mark(unit, e.getMessage());
            problems.add("unparseable");
            return null;
        }
    }

    /** The unit text heph wants: the baked flags with {@code flags} on top, the user's own lines kept. */
    static String desired(OnDisk onDisk, FlagOverrides flags, Settings s, Path unit) {
        return desired(onDisk, List.of(), flags, s, unit, unit.toString());
    }

    /**
     * As {@link #desired(OnDisk, FlagOverrides, Settings, Path)}; when there is no usable file, {@code loaded} (the
     * argv of the definition systemd has loaded, possibly empty) is what the flags are baked from; {@code source}
     * names it in messages.
     */
    static String desired(OnDisk onDisk, List<String> loaded, FlagOverrides flags, Settings s, Path unit,
                          String source) {
        List<String> baked = onDisk == null ? loaded : onDisk.parsed().execStart();
        if (onDisk != null) {
            refuseExpansions(onDisk.parsed(), unit);
        }
        DaemonConfig config = DesiredConfig.resolve(baked, flags, s, source);
        String rendered = UnitFile.render(new UnitSpec(DESCRIPTION, config.toArgv(), Map.of()));
        return onDisk == null ? rendered : withUserLines(rendered, onDisk.parsed());
    }

    static String read(Path unit) {
        try {
            return heph.fs.BoundedRead.definitionText(unit);
        } catch (IOException e) {
            throw HephException.failed("cannot read " + unit + ": " + e.getMessage());
        }
    }

    /**
     * heph writes arguments literally (% and $ escaped), so an ExecStart using specifiers (%h) or variables ($HOME)
     * would silently change meaning on rewrite: refuse instead.
     */
    private static void refuseExpansions(UnitFile.Parsed parsed, Path unit) {
        List<String> values = parsed.values("Service", "ExecStart");
        String raw = values.isEmpty() ? "" : values.get(values.size() - 1);
        String bare = raw.replace("%%", "").replace("$$", "");
        if (bare.contains("%") || bare.contains("$")) {
            throw HephException.failed(unit + ": ExecStart uses systemd specifiers or variables (% or $), which heph"
                    + " cannot carry over (it writes arguments literally); replace them with the expanded values"
                    + " and retry");
        }
    }

    /** {@code rendered} with the unmanaged lines of {@code onDisk} appended to their sections, as written. */
    static String withUserLines(String rendered, UnitFile.Parsed onDisk) {
        StringBuilder out = new StringBuilder();
        String section = null;
        for (String line : rendered.split("\n")) {
            if (line.isEmpty() && section != null) {
                appendUserLines(out, section, onDisk);
                section = null;
            } else if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1);
            }
            out.append(line).append('\n');
        }
        if (section != null) {
            appendUserLines(out, section, onDisk);
        }
        onDisk.sections().forEach((name, keys) -> {
            if (!MANAGED.containsKey(name) && !keys.isEmpty()) {
                out.append('\n').append('[').append(name).append("]\n");
                appendUserLines(out, name, onDisk);
            }
        });
        return out.toString();
    }

    private static void appendUserLines(StringBuilder out, String section, UnitFile.Parsed onDisk) {
        Set<String> managed = MANAGED.getOrDefault(section, Set.of());
        onDisk.sections().getOrDefault(section, Map.of()).forEach((key, values) -> {
            if (!managed.contains(key)) {
                values.forEach(v -> out.append(key).append('=').append(v).append('\n'));
            }
        });
    }
}
