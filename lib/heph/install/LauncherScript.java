package heph.install;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code heph} launcher {@code heph install-cli} writes: a POSIX sh script that execs heph's copied jars on the
 * JVM directly, with the class-data archive made at install time. Before that it checks, without starting a JVM,
 * that the install is still fresh: the stamp file exists, the JDK is the one the archive was made with (its
 * {@code release} file names the same runtime version) and, when heph was installed from a clone, no source file
 * of that clone is newer than the stamp ({@code find -newer}, one process). When stale, it installs again (through
 * JBang from the clone, else from the copied jars with the JDK found now), silently, and re-execs itself once; if
 * that fails it prints what the install said and runs the copied jars without the archive. Pure: renders text only.
 */
public final class LauncherScript {
    /** The second line of every launcher heph writes; a file without it is not heph's. */
    public static final String MARKER = "# heph-launcher: written by `heph install-cli`, which rewrites it; do not edit.";
    /** Guards against a re-install loop: set while the launcher re-runs install-cli and re-execs itself. */
    public static final String REINSTALLING = "HEPH_CLI_REINSTALLING";
    public static final String MAIN_CLASS = "heph.cli.Main";
    /** JIT and GC flags for a short-lived CLI (docs/facts/jbang.md §3: C1 only and the serial collector start fastest). */
    public static final List<String> JIT_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /** What the launcher runs and checks. {@code source}/{@code jbang} are both null when there is no clone. */
    public record Spec(Path self, Path bin, Path app, Path javaHome, String jdkRelease, List<String> jars,
                       ClassDataArchive archive, Path source, String jbang, String fingerprint) {
        public Spec {
            jars = List.copyOf(jars);
            if ((source == null) != (jbang == null)) {
                throw new IllegalArgumentException("source and jbang go together: " + source + ", " + jbang);
            }
        }

        public Path java() {
            return javaHome.resolve("bin").resolve("java");
        }
    }

    private LauncherScript() {
    }

    /** The whole script. */
    public static String render(Spec s) {
        List<String> l = new ArrayList<>();
        l.add("#!/bin/sh");
        l.add(MARKER);
        l.add("# fingerprint " + s.fingerprint());
        l.add("# Runs heph's jars (copied to the folder below) on this JDK with class-data sharing. When the JDK or");
        l.add("# heph's sources changed since the install, it installs again first; if that fails, it runs the jars");
        l.add("# without the archive.");
        l.add("self=" + quote(s.self().toString()));
        l.add("bin=" + quote(s.bin().toString()));
        l.add("app=" + quote(s.app().toString()));
        l.add("jdk=" + quote(s.javaHome().toString()));
        l.add("java=\"$jdk/bin/java\"");
        l.add("jdk_release=" + quote(s.jdkRelease() == null ? "" : s.jdkRelease()));
        l.add("src=" + quote(s.source() == null ? "" : s.source().toString()));
        l.add("jbang=" + quote(s.jbang() == null ? "" : s.jbang()));
        l.add("cp=" + classpath(s.jars()));
        l.add("");
        l.add("fresh() {");
        l.add("  [ -f \"$app/installed\" ] && [ -x \"$java\" ] || return 1");
        l.add("  if [ -n \"$jdk_release\" ]; then");
        l.add("    [ -r \"$jdk/release\" ] || return 1");
        l.add("    same=");
        l.add("    while IFS= read -r line; do");
        l.add("      if [ \"$line\" = \"$jdk_release\" ]; then same=1; break; fi");
        l.add("    done < \"$jdk/release\"");
        l.add("    [ -n \"$same\" ] || return 1");
        l.add("  fi");
        l.add("  [ -z \"$src\" ] || [ ! -f \"$src\" ] || [ -z \"$(find \"$src\" \"${src%/*}/lib\" -name '*.java'"
                + " -newer \"$app/installed\" -print 2>/dev/null | head -n 1)\" ]");
        l.add("}");
        l.add("");
        l.add("if fresh; then");
        l.add("  unset " + REINSTALLING);
        l.add("  exec \"$java\" " + String.join(" ", runFlags(s.archive())) + " -cp \"$cp\" " + MAIN_CLASS + " \"$@\"");
        l.add("fi");
        l.add("java_now=$java");
        l.add("[ -x \"$java_now\" ] || java_now=${JAVA_HOME:+$JAVA_HOME/bin/}java");
        l.add("if [ -z \"${" + REINSTALLING + ":-}\" ]; then");
        l.add("  " + REINSTALLING + "=1; export " + REINSTALLING);
        // silent when it works (an ordinary `heph status` prints only heph's own lines); its output when it fails
        l.add("  log=$(mktemp \"${TMPDIR:-/tmp}/heph-install-cli.XXXXXX\" 2>/dev/null) || log=");
        l.add("  if [ -n \"$src\" ] && [ -f \"$src\" ] && [ -n \"$jbang\" ]; then");
        l.add("    \"$jbang\" \"$src\" install-cli --bin \"$bin\" --source \"$src\" --jbang \"$jbang\""
                + " >\"${log:-/dev/null}\" 2>&1");
        l.add("  else");
        l.add("    \"$java_now\" -cp \"$cp\" " + MAIN_CLASS + " install-cli --bin \"$bin\" --no-source"
                + " >\"${log:-/dev/null}\" 2>&1");
        l.add("  fi");
        l.add("  if [ $? -eq 0 ]; then");
        l.add("    [ -z \"$log\" ] || rm -f \"$log\"");
        l.add("    exec \"$self\" \"$@\"");
        l.add("  fi");
        l.add("  echo \"heph: heph's sources or the JDK changed since install-cli; installing $self again failed:\" >&2");
        l.add("  [ -z \"$log\" ] || { cat \"$log\" >&2; rm -f \"$log\"; }");
        l.add("fi");
        l.add("echo \"heph: running the installed jars without the class-data archive (install-cli did not finish)\" >&2");
        l.add("exec \"$java_now\" " + String.join(" ", JIT_FLAGS) + " -cp \"$cp\" " + MAIN_CLASS + " \"$@\"");
        return String.join("\n", l) + "\n";
    }

    /** The JVM flags of the fast path: the archive's (with its logging off, so stdout stays heph's) and JIT_FLAGS. */
    public static List<String> runFlags(ClassDataArchive archive) {
        List<String> f = new ArrayList<>(archive.useFlags("\"$app/" + archive.fileName() + "\""));
        f.addAll(JIT_FLAGS);
        return f;
    }

    /** Whether {@code text} (an existing file's start) is a launcher heph wrote. */
    public static boolean isOurs(String text) {
        String[] lines = text.split("\n", 3);
        return lines.length >= 2 && lines[0].equals("#!/bin/sh") && lines[1].equals(MARKER);
    }

    /** {@code "$app/00-heph.jar:$app/01-picocli-4.7.7.jar"}: the jars inside the app folder, quoted for sh. */
    static String classpath(List<String> jars) {
        List<String> parts = new ArrayList<>();
        for (String j : jars) {
            if (j.contains("/") || j.contains(":") || j.contains("\"") || j.contains("$") || j.contains("`")
                    || j.contains("\\")) {
                throw new IllegalArgumentException("jar name not usable in a classpath: " + j);
            }
            parts.add("$app/" + j);
        }
        return "\"" + String.join(":", parts) + "\"";
    }

    /** POSIX sh single quotes: {@code it's} becomes {@code 'it'\''s'}. */
    public static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
