package heph.systemd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What the user manager itself says about heph.service and where it reads units, from {@code systemctl --user show}
 * output (docs/facts/launchd-facts.md §12; docs/facts/systemd.md): the loaded definition's ExecStart, and the manager's UnitPath.
 * Pure parsing, plus the one read of {@code /proc/<pid>/cmdline} that makes a loaded argv exact.
 */
final class LoadedUnit {
    private static final String ARGV = "argv[]=";
    private static final String AFTER_ARGV = " ; ignore_errors=";

    private LoadedUnit() {
    }

    /**
     * The argv text of the last ExecStart in {@code show -p ExecStart} output. systemd prints each command as
     * {@code ExecStart={ path=/usr/bin/hephd ; argv[]=/usr/bin/hephd --mode local ; ignore_errors=no ; ... }}, the
     * words joined by single spaces without quoting. Empty when there is no ExecStart (unit not loaded, or the
     * property not printed).
     */
    static Optional<String> execStartText(String showOutput) {
        String found = null;
        for (String line : showOutput.split("\r?\n")) {
            if (!line.startsWith("ExecStart=")) {
                continue;
            }
            int start = line.indexOf(ARGV);
            if (start < 0) {
                continue;
            }
            start += ARGV.length();
            int end = line.indexOf(AFTER_ARGV, start);
            String text = end < 0 ? line.substring(start) : line.substring(start, end);
            if (!text.isBlank()) {
                found = text;
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * The words of an ExecStart argv text. systemd's text cannot tell "a b" from two words "a" and "b"; when the
     * running main process's argv ({@code cmdline}, may be empty) joins to exactly that text, it is the exact argv
     * (hephd does not rewrite its argv), else the text is split at single spaces.
     */
    static List<String> words(String argvText, List<String> cmdline) {
        if (!cmdline.isEmpty() && String.join(" ", cmdline).equals(argvText)) {
            return List.copyOf(cmdline);
        }
        return List.of(argvText.split(" ", -1));
    }

    /** {@code /proc/<pid>/cmdline} as a list; empty when the pid is 0, gone or unreadable. */
    static List<String> cmdline(long pid) {
        if (pid <= 0) {
            return List.of();
        }
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            if (raw.length == 0) {
                return List.of();
            }
            String text = new String(raw, StandardCharsets.UTF_8);
            if (text.endsWith("\0")) {
                text = text.substring(0, text.length() - 1);
            }
            return List.of(text.split("\0", -1));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** The entries of {@code show -p UnitPath} (space-separated, in precedence order); empty when not printed. */
    static List<String> unitPath(String showOutput) {
        for (String line : showOutput.split("\r?\n")) {
            if (line.startsWith("UnitPath=")) {
                String value = line.substring("UnitPath=".length()).strip();
                return value.isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(value.split(" +")));
            }
        }
        return List.of();
    }

    /**
     * The manager's own user config folder ({@code $XDG_CONFIG_HOME/systemd/user} as the manager resolved it): the
     * first entry E for which {@code E.control} is also listed — systemd puts {@code <config>/systemd/user.control}
     * first and {@code <config>/systemd/user} later (the runtime pair under XDG_RUNTIME_DIR comes after).
     */
    static Optional<Path> configDir(List<String> unitPath) {
        for (String entry : unitPath) {
            if (entry.endsWith("/user.control")) {
                String stem = entry.substring(0, entry.length() - ".control".length());
                if (unitPath.contains(stem)) {
                    return Optional.of(Path.of(stem));
                }
            }
        }
        return Optional.empty();
    }
}
