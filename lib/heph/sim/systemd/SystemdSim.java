package heph.sim.systemd;

import heph.sim.Knobs;
import heph.sim.Processes;
import heph.sim.SimTool.Reply;
import heph.sim.SimTool;
import heph.sim.Simulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The simulated {@code systemctl} (docs/facts/launchd-facts.md §12), installed as bin/systemctl in every {@link Simulator}:
 * {@code --user} talks to a simulated user manager ({@link SystemdManager}) whose services are real processes in
 * their own process groups, with HOME, XDG_RUNTIME_DIR, PATH and the unit's Environment=. Units are read from
 * {@link #unitDir()} ({@code <configHome>/systemd/user}, default {@code <sim home>/.config/systemd/user}); their
 * stdout/stderr go to {@link #journal}. Verbs: daemon-reload, start, stop, restart, enable [--now],
 * disable [--now], is-active, is-enabled, is-failed, show, reset-failed. Without {@code --user} it answers as the
 * system manager to an unprivileged caller without a polkit agent: mutations fail with "Interactive authentication
 * required." (exit 1), queries see no such unit. Every --user call honours {@link #noBus} first, then the
 * {@link Knobs} (hang, failNext) by verb name.
 */
public final class SystemdSim implements SimTool {
    /** The §12 "no user bus" messages (all exit 1). */
    public enum NoBus {
        /** ~v255+, XDG_RUNTIME_DIR and DBUS_SESSION_BUS_ADDRESS unset (SD-40604). */
        NOT_DEFINED("Failed to connect to user scope bus via local transport: $DBUS_SESSION_BUS_ADDRESS and"
                + " $XDG_RUNTIME_DIR not defined (consider using --machine=<user>@.host --user to connect to bus of"
                + " other user)"),
        /** ~v247–v254, same situation (GEL-596, RUNC-3356). */
        NOT_DEFINED_OLD("Failed to connect to bus: $DBUS_SESSION_BUS_ADDRESS and $XDG_RUNTIME_DIR not defined"
                + " (consider using --machine=<user>@.host --user to connect to bus of other user)"),
        /** Hint suppressed, or under sudo (FIGMA-35, IIAB-230). */
        NO_MEDIUM("Failed to connect to bus: No medium found"),
        /** Runtime dir set but no user manager (SHINY-285). */
        NO_SUCH_FILE("Failed to connect to bus: No such file or directory"),
        /** v257 before the fix (SD-34849). */
        NO_DEVICE("Failed to connect to user scope bus via local transport: No such device or address"),
        /** su keeping root's XDG_RUNTIME_DIR (SD-17901). */
        PERMISSION_DENIED("Failed to connect to bus: Permission denied");

        public final String message;

        NoBus(String message) {
            this.message = message;
        }
    }

    private static final Set<String> NEEDS_UNITS = Set.of("start", "stop", "restart", "enable", "disable",
            "is-active", "is-enabled", "is-failed", "reset-failed");
    private final Knobs knobs;
    private final SystemdManager manager;
    private final SystemdInstall install;
    private volatile NoBus noBus;
    private volatile Path configHome;
    private volatile Path runtimeDir;

    public SystemdSim(Processes processes, ScheduledExecutorService timers, Knobs knobs, Path home, Path dir) {
        this.knobs = knobs;
        this.configHome = home.resolve(".config");
        this.runtimeDir = dir.resolve("run");
        try {
            Files.createDirectories(runtimeDir);
            Files.setPosixFilePermissions(runtimeDir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the simulated XDG_RUNTIME_DIR " + runtimeDir, e);
        }
        this.install = new SystemdInstall(this::unitDir);
        this.manager = new SystemdManager(processes, timers, home, this::unitDir, () -> runtimeDir,
                dir.resolve("logs"));
    }

    @Override
    public String name() {
        return "systemctl";
    }

    /** Every later --user call fails with {@code kind}'s message and exit 1; null restores the bus. */
    public SystemdSim noBus(NoBus kind) {
        noBus = kind;
        return this;
    }

    public NoBus noBus() {
        return noBus;
    }

    /** The user manager's XDG_RUNTIME_DIR (default {@code <sim dir>/run}, mode 0700), given to every service. */
    public Path runtimeDir() {
        return runtimeDir;
    }

    /** Sets the XDG_RUNTIME_DIR services get (null: none); applies to processes started later. */
    public SystemdSim runtimeDir(Path dir) {
        runtimeDir = dir;
        return this;
    }

    /** The XDG_CONFIG_HOME the manager reads units under (default {@code <sim home>/.config}). */
    public SystemdSim configHome(Path dir) {
        configHome = dir.toAbsolutePath().normalize();
        return this;
    }

    public Path unitDir() {
        return configHome.resolve("systemd").resolve("user");
    }

    /** The simulator's journalctl, answering from {@link #journal}: registered as bin/journalctl. */
    public heph.sim.SimTool journalctl() {
        return new SystemdJournal(this);
    }

    /** Where a unit's stdout and stderr go (the journal's stand-in): {@code logs/<unit>.journal}. */
    public Path journal(String unit) {
        return manager.journal(unit);
    }

    /** The pid of the unit's live main process. */
    public OptionalLong mainPid(String unit) {
        long pid = manager.mainPid(unit);
        return pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty();
    }

    /** "active/running", "activating/auto-restart", ...; empty when the manager does not know the unit. */
    public Optional<String> state(String unit) {
        Map<String, String> p = manager.properties(unit, "");
        return p.get("LoadState").equals("not-found") && p.get("ActiveState").equals("inactive") ? Optional.empty()
                : Optional.of(p.get("ActiveState") + "/" + p.get("SubState"));
    }

    /** {@code show} without a unit: the manager's UnitPath (config and runtime folders, as systemd orders them). */
    private Map<String, String> managerProperties() {
        Path config = unitDir();
        Path run = runtimeDir == null ? config : runtimeDir.resolve("systemd").resolve("user");
        return Map.of("UnitPath", config + ".control " + run + ".control " + config + " " + run
                + " /usr/lib/systemd/user");
    }

    /** Every show property of the unit, in the fake's D-Bus order. */
    public Map<String, String> properties(String unit) {
        return manager.properties(unit, install.state(unit));
    }

    @Override
    public Reply handle(List<String> args, String cwd) {
        SystemdArgs a;
        try {
            a = SystemdArgs.parse(args);
        } catch (IllegalArgumentException e) {
            return Reply.err(1, e.getMessage() + "\n");
        }
        if (NEEDS_UNITS.contains(a.verb()) && a.units().isEmpty()) {
            return Reply.err(1, "Too few arguments.\n");
        }
        if (!a.user()) {
            return SystemdScopes.system(a);
        }
        NoBus nb = noBus;
        if (nb != null) {
            return Reply.err(1, nb.message + "\n"); // §12: every call, whatever the verb
        }
        if (!knobs.awaitRelease(a.verb())) {
            return Reply.err(1, "systemctl (heph simulator): the simulator closed\n");
        }
        OptionalInt failure = knobs.takeFailure(a.verb());
        if (failure.isPresent()) {
            return SystemdScopes.failure(a, failure.getAsInt());
        }
        return switch (a.verb()) {
            case "daemon-reload" -> manager.serialized(() -> {
                manager.daemonReload();
                return Reply.ok();
            });
            case "start", "stop", "restart" -> manager.serialized(() -> jobs(a.verb(), a.units()));
            case "enable", "disable" -> manager.serialized(() -> install(a));
            case "reset-failed" -> manager.serialized(() -> resetFailed(a.units()));
            case "is-active", "is-failed" -> isActive(a);
            case "is-enabled" -> a.units().size() == 1 ? install.isEnabled(a.units().get(0), a.quiet())
                    : Reply.err(1, "systemctl (heph simulator): is-enabled takes one unit here\n");
            case "show" -> Reply.out(SystemdShow.render(a.units().isEmpty() ? List.of(managerProperties())
                    : a.units().stream().map(this::properties).toList(), a.properties(), a.valueOnly()));
            default -> SystemdScopes.unknownVerb(a.verb());
        };
    }

    /** start/stop/restart of each unit, with the §12 warning first when the file changed since loading. */
    private Reply jobs(String verb, List<String> units) {
        StringBuilder err = new StringBuilder();
        int code = 0;
        for (String unit : units) {
            if (manager.needsReload(manager.lookup(unit))) {
                err.append(SystemdTexts.reloadWarning(unit));
            }
            if (verb.equals("stop")) {
                if (!manager.stop(unit)) {
                    err.append(SystemdTexts.notLoaded(verb, unit));
                    code = 5;
                }
                continue;
            }
            String r = verb.equals("start") ? manager.start(unit) : manager.restart(unit);
            if (SystemdManager.NOT_FOUND.equals(r)) {
                err.append(SystemdTexts.notFound(verb, unit)); // §12 unknown unit -> exit 5
                code = 5;
            } else if (SystemdManager.BAD_SETTING.equals(r)) {
                err.append(SystemdTexts.badSetting(verb, unit));
                code = Math.max(code, 1);
            } else if (r != null) {
                err.append(SystemdTexts.jobFailed(unit, r)); // §12 start fails -> exit 1
                code = Math.max(code, 1);
            }
        }
        return Reply.err(code, err.toString());
    }

    /** enable/disable: the links, the implicit daemon-reload (unless --no-reload), then start/stop with --now. */
    private Reply install(SystemdArgs a) {
        boolean enable = a.verb().equals("enable");
        StringBuilder err = new StringBuilder();
        for (String unit : a.units()) {
            Reply r = enable ? install.enable(unit) : install.disable(unit);
            err.append(r.stderr());
            if (r.exitCode() != 0) {
                return Reply.err(r.exitCode(), err.toString());
            }
        }
        if (!a.noReload()) {
            manager.daemonReload();
        }
        if (!a.now()) {
            return Reply.err(0, err.toString());
        }
        Reply job = jobs(enable ? "start" : "stop", a.units());
        return Reply.err(job.exitCode(), err + job.stderr());
    }

    private Reply resetFailed(List<String> units) {
        for (String unit : units) {
            if (!manager.resetFailed(unit)) {
                return Reply.err(5, "Failed to reset failed state of unit " + unit + ": Unit " + unit
                        + " not loaded.\n");
            }
        }
        return Reply.ok();
    }

    /** §12 is-active: 0 if active/reloading/refreshing, 3 otherwise, 4 for a unit the manager does not know. */
    private Reply isActive(SystemdArgs a) {
        boolean failedVerb = a.verb().equals("is-failed");
        StringBuilder out = new StringBuilder();
        boolean hit = false;
        boolean allUnknown = true;
        for (String unit : a.units()) {
            Map<String, String> p = manager.properties(unit, "");
            String st = p.get("ActiveState");
            out.append(st).append('\n');
            hit |= failedVerb ? st.equals("failed") : Set.of("active", "reloading", "refreshing").contains(st);
            allUnknown &= p.get("LoadState").equals("not-found") && st.equals("inactive");
        }
        int code = hit ? 0 : failedVerb ? 1 : allUnknown ? 4 : 3;
        return new Reply(code, a.quiet() ? "" : out.toString(), "");
    }

    public void close() {
        manager.close();
    }
}
