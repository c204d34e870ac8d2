package heph.agents;

import heph.Heph;
import heph.HephException;
import heph.config.FlagOverrides;
import heph.fs.LabelLock;
import heph.service.Settings;
import heph.systemd.SystemdBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code heph apply DIR} on systemd: every unit is planned (validated, compared) under its own lock, the changed
 * files are written, then <em>one</em> {@code daemon-reload} for the whole folder, then each unit is started,
 * restarted or left alone and verified. A unit that fails is reported and the others go on. The locks are taken
 * in file-name order and held to the end, so no other heph changes these units in between.
 */
final class SystemdApply {
    private SystemdApply() {
    }

    private record Planned(Heph agent, Path file, SystemdBackend backend, SystemdBackend.Plan plan) {
    }

    static ApplyReport run(Heph hephd, Settings s, Path folder, List<Path> files, boolean restart,
                           boolean dryRun, Prune prune) {
        if (dryRun) {
            return plan(hephd, folder, files, restart);
        }
        List<ApplyReport.Result> results = new ArrayList<>();
        List<LabelLock> locks = new ArrayList<>();
        try {
            List<Planned> planned = new ArrayList<>();
            for (Path file : files) {
                String unit = null;
                try {
                    Heph agent = hephd.forFile(file);
                    unit = agent.name();
                    locks.add(agent.lock());
                    SystemdBackend backend = (SystemdBackend) agent.backend();
                    planned.add(new Planned(agent, file, backend,
                            backend.plan(restart ? "restart" : "start", FlagOverrides.none())));
                } catch (RuntimeException | Error e) { // whatever one unit throws: reported, the others go on
                    results.add(AgentFolder.failed(unit, file, AgentFolder.problem(file, e)));
                }
            }
            // writes, daemon-reload, restarts, verification and put-backs: signals are held until they are done
            heph.service.CriticalSection.run(hephd.settings(), "the units of " + folder, () -> {
                List<Planned> written = new ArrayList<>();
                for (Planned p : planned) {
                    try {
                        p.backend().write(p.plan());
                        written.add(p);
                    } catch (RuntimeException | Error e) {
                        results.add(AgentFolder.failed(p.agent().name(), p.file(), AgentFolder.problem(p.file(), e)));
                    }
                }
                HephException reloadFailed = null;
                boolean pruned = prune.removeUnits(); // the dropped units go before the one daemon-reload
                if (pruned || written.stream().anyMatch(p -> p.plan().reload())) {
                    try {
                        ((SystemdBackend) hephd.backend()).daemonReload(); // one for the whole folder
                    } catch (HephException e) {
                        reloadFailed = e;
                        prune.reloadFailed(e);
                    }
                }
                for (Planned p : written) {
                    try {
                        if (reloadFailed != null && p.plan().reload()) { // a unit that needed none goes on
                            throw reloadFailed;
                        }
                        results.add(AgentFolder.done(p.agent().name(), p.file(), p.backend().finish(p.plan())));
                    } catch (RuntimeException | Error e) {
                        results.add(AgentFolder.failed(p.agent().name(), p.file(), AgentFolder.problem(p.file(), e)));
                    }
                }
                return null;
            });
        } finally {
            for (int i = locks.size() - 1; i >= 0; i--) {
                locks.get(i).close();
            }
        }
        results.sort(java.util.Comparator.comparing(ApplyReport.Result::path));
        return new ApplyReport(folder, results);
    }

    /**
     * --dry-run: every unit planned exactly as above ({@link SystemdBackend#plan}), without the locks (nothing is
     * changed), and rendered; each unit that needs it lists the daemon-reload the real run does once for them all.
     */
    private static ApplyReport plan(Heph hephd, Path folder, List<Path> files, boolean restart) {
        List<ApplyReport.Result> results = new ArrayList<>();
        for (Path file : files) {
            String unit = null;
            try {
                Heph agent = hephd.forFile(file);
                unit = agent.name();
                SystemdBackend backend = (SystemdBackend) agent.backend();
                SystemdBackend.Plan p = backend.plan(restart ? "restart" : "start", FlagOverrides.none());
                results.add(AgentFolder.planned(unit, file, backend.dryRun(p)));
            } catch (RuntimeException | Error e) {
                results.add(AgentFolder.failed(unit, file, AgentFolder.problem(file, e)));
            }
        }
        return new ApplyReport(folder, results, true);
    }
}
