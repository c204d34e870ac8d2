// Apply a dotfiles folder of agents (*.plist, or *.service on systemd): print the dry run first, then apply it for
// real and print one line per agent. The folder is $HEPH_DOTFILES (default ./agents). With HEPH_PRUNE=1 the agents an
// earlier apply of the folder installed whose file is gone are stopped and removed too (prune); without it they are
// only named ("not in ... any more; --prune removes it").
// Run: HEPH_DOTFILES=~/dotfiles/agents HEPH_PRUNE=1 jshell --class-path "$(./jbang info classpath heph.java)" examples/apply-dotfiles.jsh
// Reads the same HEPH_* variables as the CLI (HEPH_BACKEND, HEPH_DOMAIN, HEPH_LAUNCHCTL, HEPH_SYSTEMCTL, ...).
import heph.Heph;
import java.nio.file.Path;

var heph = Heph.fromEnvironment();
var dir = Path.of(System.getenv().getOrDefault("HEPH_DOTFILES", "agents"));
var prune = "1".equals(System.getenv().get("HEPH_PRUNE"));
var plan = heph.applyDryRun(dir, false, prune); // computes everything, changes nothing
plan.results().forEach(r -> System.out.print(r.plan() != null ? r.plan().text()
        : r.ok() ? "heph: dry run: " + r.message() + "\n" : "cannot plan " + r.path() + ": " + r.message() + "\n"));
System.out.println(plan.summary());
if (plan.failed() > 0) {
    System.out.println("not applying: fix the files above first");
    System.exit(1);
}
var applied = heph.apply(dir, false, prune); // how "removed": pruned, its last file kept in ~/.local/state/heph/pruned/
applied.results().forEach(r -> System.out.println((r.ok() ? "ok     " : "FAILED ") + r.label() + ": " + r.how() + ": " + r.message()));
System.out.println(applied.summary());
System.exit(applied.failed() > 0 ? 1 : 0);
