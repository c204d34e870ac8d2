package heph.systemd;

import heph.HephException;
import heph.config.FlagOverrides;
import heph.proc.ProcessRunner;
import heph.service.Backend;
import heph.service.Outcome;
import heph.service.ServiceStatus;
import heph.service.Settings;
import heph.time.Clock;

/** systemd --user backend (in progress). */
public final class SystemdBackend implements Backend {
    public SystemdBackend(Settings settings, ProcessRunner runner, Clock clock) {
    }

    @Override
    public String name() {
        return "systemd";
    }

    private static HephException todo() {
        return HephException.failed("the systemd backend is not implemented yet; use --backend launchd");
    }

    @Override
    public Outcome start(FlagOverrides flags) {
        throw todo();
    }

    @Override
    public Outcome restart(FlagOverrides flags) {
        throw todo();
    }

    @Override
    public Outcome stop() {
        throw todo();
    }

    @Override
    public Outcome uninstall() {
        throw todo();
    }

    @Override
    public ServiceStatus status() {
        throw todo();
    }
}
