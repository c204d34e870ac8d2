// Apply a dotfiles folder of agents (*.plist, or *.service on systemd): print the dry run first, then apply it for
// real and print one line per agent. The folder is $HEPH_DOTFILES (default ./agents). With HEPH_PRUNE=1 the agents an
// earlier apply of the folder installed whose file is gone are stopped and removed too (prune); without it they are
// only named ("not in ... any more; --prune removes it").
// Run: HEPH_DOTFILES=~/dotfiles/agents HEPH_PRUNE=1 jshell --class-path "$(./jbang info classpath heph.java)" examples/apply-dotfiles.jsh
// Reads the same HEPH_* variables as the CLI (HEPH_BACKEND, HEPH_DOMAIN, HEPH_LAUNCHCTL, HEPH_SYSTEMCTL, ...).
// Exits as the CLI does: 0 applied, 1 an agent failed (or could not be planned), 2 a usage error (no such folder).
import heph.Heph;
import heph.HephException;
import java.nio.file.Path;

int code = 1; // stays 1 if anything below throws what it does not expect
try {
    var heph = Heph.fromEnvironment();
    var dir = Path.of(System.getenv().getOrDefault("HEPH_DOTFILES", "agents"));
    var prune = "1".equals(System.getenv().get("HEPH_PRUNE"));
    var plan = heph.applyDryRun(dir, false, prune); // computes everything, changes nothing
    plan.results().forEach(r -> System.out.print(r.plan() != null ? r.plan().text()
            : r.ok() ? "heph: dry run: " + r.message() + "\n" : "cannot plan " + r.line() + "\n"));
    System.out.println(plan.summary());
    if (plan.failed() > 0) {
        System.out.println("not applying: fix the files above first");
        code = 1;
    } else {
        var applied = heph.apply(dir, false, prune); // how "removed": pruned, its last file kept in ~/.local/state/heph/pruned/
        applied.results().forEach(r -> System.out.println((r.ok() ? "ok     " : "FAILED ") + r.label() + ": " + r.how() + ": " + r.message()));
        System.out.println(applied.summary());
        code = applied.failed() > 0 ? 1 : 0;
    }
} catch (HephException e) {
    System.out.println("heph: " + e.getMessage());
    code = e.exitCode().code;
}
/exit code
