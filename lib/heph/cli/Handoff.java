package heph.cli;

import heph.ExitCode;
import heph.Heph;
import heph.HephException;
import heph.fs.PrivateFiles;
import heph.service.ServiceStatus;
import heph.service.Settings;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;

/**
 * Self-restart: when heph runs inside the job it manages (hephd's self-update calling `heph restart`), bootout
 * would kill heph halfway and leave hephd unloaded. So the work goes to a detached heph in its own session, which
 * bootout cannot reach, and this one returns at once.
 */
final class Handoff {
    static final String MARK = "HEPH_HANDOFF";
    /** The pid of the heph that handed off: the detached one waits for it to have answered before bootout. */
    static final String FROM = "HEPH_HANDOFF_FROM";

    private Handoff() {
    }

    /** launchd only (systemd's restart is a job inside the manager and completes even if the caller dies). */
    static boolean needed(Heph heph, Map<String, String> env) {
        Settings s = heph.settings();
        if (!s.backend().equals("launchd")) {
            return false;
        }
        if ("1".equals(env.get(MARK))) {
            awaitCaller(env.get(FROM));
            return false;
        }
        if (s.label().equals(env.get("XPC_SERVICE_NAME"))) {
            return true;
        }
        ServiceStatus st = heph.statusHere(); // the other domain is asked once, by the verb itself
        return st.pid() != null && isDescendantOf(st.pid());
    }

    /**
     * The caller prints its answer after starting this heph and may sit in the job's process group, which this
     * heph's bootout kills: so the work starts once the caller has exited (bounded: 30 s, then it goes ahead).
     */
    private static void awaitCaller(String pid) {
        try {
            Optional<ProcessHandle> caller = ProcessHandle.of(Long.parseLong(pid));
            if (caller.isPresent()) {
                caller.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (NumberFormatException | java.util.concurrent.ExecutionException
                | java.util.concurrent.TimeoutException e) {
            // no caller named, or it outlived the bound: go ahead
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static boolean isDescendantOf(long pid) {
        Optional<ProcessHandle> p = ProcessHandle.current().parent();
        while (p.isPresent()) {
            if (p.get().pid() == pid) {
                return true;
            }
            p = p.get().parent();
        }
        return false;
    }

    static int spawn(Heph heph, CommandLine.Model.CommandSpec spec, Map<String, String> env) {
        Settings s = heph.settings();
        List<String> argv = new ArrayList<>(detacher());
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add(Main.class.getName());
        argv.addAll(spec.root().commandLine().getParseResult().originalArgs());
        Path log = s.stateDir().resolve("handoff-" + s.label() + ".log");
        ProcessBuilder pb = new ProcessBuilder(argv)
                .directory(s.cwd().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put(MARK, "1");
        pb.environment().put(FROM, Long.toString(ProcessHandle.current().pid()));
        pb.environment().remove("XPC_SERVICE_NAME");
        try {
            PrivateFiles.file(log);
            long pid = pb.start().pid();
            String msg = "running inside " + s.label() + "; handed the work to a detached heph (pid " + pid
                    + ") so bootout cannot cut it short; its log: " + log;
            if (spec.findOption("--json") != null && Boolean.TRUE.equals(spec.findOption("--json").getValue())) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("path", "handoff");
                m.put("changed", true); // a heph was started that will do the work
                m.put("handoff_pid", pid);
                m.put("log", log.toString());
                m.put("message", msg);
                if (spec.userObject() instanceof JsonReply.Facts f) {
                    f.facts().forEach(m::putIfAbsent);
                }
                JsonReply.print((Main) spec.root().userObject(), spec.commandLine().getOut(), spec.name(),
                        ExitCode.OK.code, null, m);
            } else {
                spec.commandLine().getErr().println("heph: " + msg);
            }
            return ExitCode.OK.code;
        } catch (IOException e) {
            throw HephException.failed("cannot start the detached heph for the self-restart: " + e.getMessage());
        }
    }

    /** setsid(1) where it exists (Linux); macOS has none, so perl's POSIX::setsid does the same there. */
    private static List<String> detacher() {
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            return List.of("/usr/bin/setsid");
        }
        return List.of("/usr/bin/perl", "-MPOSIX=setsid", "-e", "setsid(); exec @ARGV or die \"exec: $!\"");
    }
}
