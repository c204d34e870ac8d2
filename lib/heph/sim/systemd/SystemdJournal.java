package heph.sim.systemd;

import heph.sim.SimTool;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's {@code journalctl}: answers from the simulated journal, the file per unit the user manager writes
 * its services' stdout and stderr to ({@code logs/<unit>.journal}). Understood: {@code --user}, {@code
 * --user-unit U}, {@code -u U} / {@code --unit U} / {@code --unit=U}, {@code -n N} / {@code --lines N} /
 * {@code --lines=N} (default 10, as journalctl's with -n; all lines without it), {@code --no-pager}, and {@code -f}
 * (the shim cannot stream: it prints the lines so far and says so on stderr). A unit with no lines answers
 * "-- No entries --" with exit 0, as journalctl does. Lines are the services' own output, without journalctl's
 * "date host unit[pid]:" prefix. At most the last {@link #TAIL_BYTES} of a journal are read.
 */
final class SystemdJournal implements SimTool {
    static final int TAIL_BYTES = 1 << 20;
    private final SystemdSim systemd;

    SystemdJournal(SystemdSim systemd) {
        this.systemd = systemd;
    }

    @Override
    public String name() {
        return "journalctl";
    }

    @Override
    public Reply handle(List<String> args, String cwd) {
        List<String> units = new ArrayList<>();
        int lines = -1;
        boolean follow = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String next = i + 1 < args.size() ? args.get(i + 1) : null;
            try {
                switch (a) {
                    case "--user", "--no-pager", "-q", "--quiet" -> {
                    }
                    case "-f", "--follow" -> follow = true;
                    case "--user-unit", "-u", "--unit" -> {
                        if (next == null) {
                            return Reply.err(1, "journalctl: option '" + a + "' requires an argument\n");
                        }
                        units.add(unitName(next));
                        i++;
                    }
                    case "-n", "--lines" -> {
                        if (next == null) {
                            return Reply.err(1, "journalctl: option '" + a + "' requires an argument\n");
                        }
                        lines = Integer.parseInt(next);
                        i++;
                    }
                    default -> {
                        if (a.startsWith("--user-unit=") || a.startsWith("--unit=")) {
                            units.add(unitName(a.substring(a.indexOf('=') + 1)));
                        } else if (a.startsWith("--lines=")) {
                            lines = Integer.parseInt(a.substring("--lines=".length()));
                        } else {
                            return Reply.err(1, "journalctl (heph simulator): unsupported argument '" + a + "'\n");
                        }
                    }
                }
            } catch (NumberFormatException e) {
                return Reply.err(1, "Failed to parse lines '" + next + "'.\n");
            }
        }
        List<String> out = new ArrayList<>();
        for (String unit : units) {
            out.addAll(read(systemd.journal(unit)));
        }
        if (lines >= 0 && out.size() > lines) {
            out = out.subList(out.size() - lines, out.size());
        }
        String text = out.isEmpty() ? "-- No entries --\n" : String.join("\n", out) + "\n";
        return new Reply(0, text, follow ? "journalctl (heph simulator): -f is not simulated; these are the lines so"
                + " far\n" : "");
    }

    /** journalctl's unit name mangling, as far as heph needs it: a name without a suffix means NAME.service. */
    private static String unitName(String u) {
        return u.contains(".") ? u : u + ".service";
    }

    /** The journal's lines (the last {@link #TAIL_BYTES} of it); nothing for a missing or non-regular file. */
    static List<String> read(Path journal) {
        if (!Files.isRegularFile(journal, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (RandomAccessFile f = new RandomAccessFile(journal.toFile(), "r")) {
            long size = f.length();
            long from = Math.max(0, size - TAIL_BYTES);
            byte[] b = new byte[(int) (size - from)];
            f.seek(from);
            f.readFully(b);
            List<String> all = new ArrayList<>(new String(b, StandardCharsets.UTF_8).lines().toList());
            if (from > 0 && !all.isEmpty()) {
                all.remove(0); // cut mid-line
            }
            return all;
        } catch (IOException e) {
            return List.of();
        }
    }
}
