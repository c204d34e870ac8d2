package heph;

import heph.config.FlagOverrides;
import heph.fs.LabelLock;
import heph.launchd.LaunchdBackend;
import heph.proc.ProcessRunner;
import heph.proc.ZtExecRunner;
import heph.service.Backend;
import heph.service.Outcome;
import heph.service.ServiceStatus;
import heph.service.Settings;
import heph.systemd.SystemdBackend;
import heph.time.Clock;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * heph's scripting API: the same calls the CLI makes, for JShell and ops scripts.
 * <pre>
 * var heph = Heph.fromEnvironment();
 * heph.restart();                 // kickstart -k when nothing changed, else a race-free reload
 * heph.status().running();
 * </pre>
 * Every mutating call takes the per-label lock, so concurrent callers serialize; {@link #status} never does.
 */
public final class Heph {
    private final Settings settings;
    private final Backend backend;

    private Heph(Settings settings, Backend backend) {
        this.settings = settings;
        this.backend = backend;
    }

    /** Backend, label and executables from HEPH_* variables (or the OS), paths rooted at $HOME. */
    public static Heph fromEnvironment() {
        return create(new HephOptions().toSettings(System.getenv(), Path.of("").toAbsolutePath()));
    }

    public static Heph create(Settings settings) {
        return create(settings, new ZtExecRunner(), Clock.SYSTEM);
    }

    public static Heph create(Settings settings, ProcessRunner runner, Clock clock) {
        Backend backend = settings.backend().equals("systemd")
                ? new SystemdBackend(settings, runner, clock)
                : new LaunchdBackend(settings, runner, clock);
        return new Heph(settings, backend);
    }

    public Outcome start() {
        return start(FlagOverrides.none());
    }

    public Outcome start(FlagOverrides flags) {
        return locked(() -> backend.start(flags));
    }

    public Outcome restart() {
        return restart(FlagOverrides.none());
    }

    public Outcome restart(FlagOverrides flags) {
        return locked(() -> backend.restart(flags));
    }

    public Outcome stop() {
        return locked(backend::stop);
    }

    public Outcome uninstall() {
        return locked(backend::uninstall);
    }

    public ServiceStatus status() {
        return backend.status();
    }

    public Settings settings() {
        return settings;
    }

    private Outcome locked(Supplier<Outcome> verb) {
        try (LabelLock lock = LabelLock.acquire(settings.stateDir(), settings.label(), settings.lockWait(),
                settings::say)) {
            return verb.get();
        }
    }
}
