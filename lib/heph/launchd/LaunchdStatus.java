package heph.launchd;

import heph.launchd.plist.LaunchdPlist;
import com.dd.plist.NSDictionary;
import heph.proc.ExecResult;
import heph.service.DefinitionSource;
import heph.service.ServiceStatus;
import heph.service.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** `heph status` on launchd: read-only (no lock, nothing written), from the plist on disk and `launchctl print`. */
final class LaunchdStatus {
    private final Settings s;
    private final Launchctl launchctl;
    private final String who;
    private final String start; // the command that starts it: "heph start", "heph start --label L"
    private final String restart;
    private final boolean hephd;
    private final Path plist;

    LaunchdStatus(Settings s, Launchctl launchctl) {
        this(s, launchctl, DefinitionSource.HEPHD);
    }

    LaunchdStatus(Settings s, Launchctl launchctl, DefinitionSource source) {
        this(s, launchctl, source, source.hephd() ? s.plistPath() : installedPlist(s, true));
    }

    /** As above, for the plist at {@code plist} (the backend's: {@link #installedPlist}). */
    LaunchdStatus(Settings s, Launchctl launchctl, DefinitionSource source, Path plist) {
        this.plist = plist;
        this.s = s;
        this.launchctl = launchctl;
        this.hephd = source.hephd();
        this.who = source.who(s.label());
        this.start = hephd ? "heph start" : "heph start --label " + s.label();
        this.restart = hephd ? "heph restart" : "heph restart --label " + s.label();
    }

    /** How many entries of ~/Library/LaunchAgents {@link #installedPlist} looks at, at most. */
    static final int SCAN_LIMIT = 2000;

    /**
     * The installed plist of {@code s.label()}: {@code <Label>.plist} when it exists (or nothing else carries the
     * Label), else the one regular {@code *.plist} file in ~/Library/LaunchAgents whose Label it is (a hand install
     * named otherwise, which {@code heph list} shows under its Label). Bounded: at most {@link #SCAN_LIMIT}
     * entries, symlinks and files over 1 MiB skipped, nothing opened but regular files. With {@code say}, heph says
     * which file it uses.
     */
    static Path installedPlist(Settings s, boolean say) {
        Path named = s.plistPath();
        if (Files.exists(named, java.nio.file.LinkOption.NOFOLLOW_LINKS) || s.label().isEmpty()) {
            return named;
        }
        java.util.TreeSet<Path> found = new java.util.TreeSet<>();
        int seen = 0;
        try (java.nio.file.DirectoryStream<Path> dir = Files.newDirectoryStream(named.getParent(), "*.plist")) {
            for (Path p : dir) {
                if (++seen > SCAN_LIMIT) {
                    break;
                }
                try {
                    if (!Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.size(p) > 1 << 20) {
                        continue;
                    }
                    if (LaunchdPlist.label(LaunchdPlist.read(p)).filter(s.label()::equals).isPresent()) {
                        found.add(p);
                    }
                } catch (RuntimeException | java.io.IOException e) {
                    // unreadable or not a plist: not this agent
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return named;
        }
        if (found.isEmpty()) {
            return named;
        }
        Path p = found.first();
        if (say) {
            s.say(s.label() + " is installed as " + p + " (its Label; not " + named.getFileName() + ")"
                    + (found.size() > 1 ? "; also carrying that Label: " + found.tailSet(p, false) : ""));
        }
        return p;
    }

    /** The status, with where else launchd has the label loaded (one print of the other domain). */
    ServiceStatus read() {
        return read(true);
    }

    /** The status in this domain only: the other domain is not asked. */
    ServiceStatus readHere() {
        return read(false);
    }

    private ServiceStatus read(boolean askOther) {

        String target = Launchctl.target(s);
        boolean installed = Files.exists(plist);
        NSDictionary dict = null;
        String hint = null;
        if (installed) {
            try {
                dict = LaunchdPlist.read(plist);
            } catch (RuntimeException e) {
                hint = "cannot parse " + plist + ": " + e.getMessage() + (hephd ? "; `heph start` moves it aside"
                        + " and writes a fresh one" : "; fix it, or install it again with heph start --plist FILE");
            }
        }
        ExecResult raw = launchctl.print(target);
        PrintInfo info = PrintInfo.parse(raw.exitCode(), raw.stdout(), raw.stderr());
        if (info.presence() == PrintInfo.Presence.NO_DOMAIN || info.presence() == PrintInfo.Presence.ERROR) {
            if (askOther && info.presence() == PrintInfo.Presence.NO_DOMAIN) { // over ssh, gui/<uid> is missing
                OtherDomain other = new OtherDomain(s, launchctl, hephd);
                OtherDomain.Answer a = other.ask();
                if (a.loaded() != null) {
                    return new ServiceStatus("launchd", s.label(), installed, false, "not loaded", null, null, null,
                            null, dict == null ? List.of() : LaunchdPlist.programArguments(dict), plist.toString(),
                            null, null, null, other.note(a.loaded(), false) + "; " + Launchctl.domain(s)
                            + " does not exist here (no login session of that kind)", null, null, false, false,
                            a.loaded());
                }
            }
            // heph cannot tell whether hephd runs: that is a failure (exit 1), as a missing user bus is on systemd
            throw LaunchctlErrors.failure("print", raw, s.label(), "");
        }
        List<String> fileArgs = dict == null ? List.of() : LaunchdPlist.programArguments(dict);
        List<String> args = info.loaded() && !info.arguments().isEmpty() ? info.arguments() : fileArgs;
        String program = info.loaded() && info.program() != null ? info.program()
                : args.isEmpty() ? null : args.get(0);
        if (hint == null) {
            hint = hint(info, installed, heph.launchd.plist.AgentPlist.expect(dict));
        }
        String out = dict == null ? null : LaunchdPlist.string(dict, "StandardOutPath").orElse(null);
        String err = dict == null ? null : LaunchdPlist.string(dict, "StandardErrorPath").orElse(null);
        ServiceStatus st = new ServiceStatus("launchd", s.label(), installed, info.loaded(), state(info),
                info.running() ? info.pid().getAsLong() : null,
                orNull(info.lastExitCode()),
                info.runs().isPresent() ? info.runs().getAsLong() : null,
                program, args, plist.toString(), out, err, hephd ? s.socketFor(args) : null, hint,
                orNull(info.lastSignal()), orNull(info.lastExitReason()), info.crashLoop(), info.transitional());
        return askOther ? elsewhere(st) : st;
    }

    /**
     * The status, with where else launchd has the label loaded (one print of the other domain), if anywhere; an
     * unreadable answer is "unknown", never a guess.
     */
    private ServiceStatus elsewhere(ServiceStatus st) {
        OtherDomain other = new OtherDomain(s, launchctl, hephd);
        OtherDomain.Answer a = other.ask();
        if (a.notLoaded()) {
            return st;
        }
        String note = a.loaded() != null ? other.note(a.loaded(), st.loaded())
                : "cannot tell whether it is loaded in " + other.domain() + ": " + a.unknown();
        ServiceStatus.Elsewhere e = a.loaded() != null ? a.loaded()
                : ServiceStatus.Elsewhere.unknown(other.domain(), a.unknown());
        return st.withOtherDomain(e, (st.loaded() || a.loaded() == null) && st.hint() != null ? st.hint() + "; "
                + note : note);
    }

    /** print's text fields are "" when absent (or not loaded); status reports absent as null. */
    private static String orNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String state(PrintInfo info) {
        return switch (info.presence()) {
            case LOADED -> info.state();
            case NOT_FOUND -> "not loaded";
            case NO_DOMAIN, ERROR -> "unknown";
        };
    }

    /** The hint of a job that is loaded and fine without running now (so status exits 0 for it). */
    static final String WAITING = "loaded, waiting for its next run (last exit 0)";
    /** The hint of a job run on demand or on a schedule that has not run since it was loaded (also exit 0). */
    static final String NOT_RUN_YET = "loaded, waiting for its next run (not run yet)";

    private String hint(PrintInfo info, boolean installed, heph.launchd.plist.AgentPlist.Expect expect) {
        return switch (info.presence()) {
            case NOT_FOUND -> installed ? "installed but not loaded — run " + start
                    : "not installed — run " + (hephd ? start : "heph start --plist FILE");
            case NO_DOMAIN, ERROR -> null; // thrown above
            case LOADED -> {
                if (info.draining()) {
                    yield "launchd is tearing the job down (bootout in progress)";
                }
                if (info.transitional()) {
                    yield "launchd is starting " + who + " (state = " + info.state() + "); run heph status again in a"
                            + " moment";
                }
                if (info.crashLoop()) {
                    yield "crash loop: " + (info.spawnFailed() ? "launchd cannot start " + who + ", each spawn fails"
                            : who + " keeps exiting and launchd keeps restarting it") + " (" + info.crashSummary()
                            + "); see the stderr log, fix the cause, then run " + restart;
                }
                if (info.respawning()) {
                    yield who + " exited cleanly and launchd starts it again shortly (KeepAlive; " + info.crashSummary()
                            + "); run heph status again in a moment";
                }
                if (!info.pendedSpawn().isEmpty() && !info.running()) {
                    yield "loaded but never started (pended nondemand spawn = " + info.pendedSpawn() + ": RunAtLoad"
                            + " did not fire) — run " + start;
                }
                if (!info.running() && expect != heph.launchd.plist.AgentPlist.Expect.KEEPS_RUNNING
                        && info.lastExitStatus().orElse(-1) == 0 && info.lastSignal().isEmpty()) {
                    yield WAITING; // not meant to run all the time, last run clean: loaded is enough
                }
                if (!info.running() && expect == heph.launchd.plist.AgentPlist.Expect.ON_DEMAND
                        && info.lastExitStatus().isEmpty() && info.lastSignal().isEmpty()
                        && info.lastExitReason().isEmpty() && info.runs().orElse(0) == 0) {
                    yield NOT_RUN_YET; // StartInterval, StartCalendarInterval, WatchPaths…: its first run is ahead
                }
                if (!info.running()) {
                    String end = info.lastExit();
                    yield "loaded but not running" + (end.isEmpty() ? "" : " (" + end + ")")
                            + "; see the stderr log, or run " + restart;
                }
                yield null;
            }
        };
    }
}
