///usr/bin/env bash -c 'exec "$(dirname "$0")/../../jbang" "$0" "$@"' ; exit $?
//JAVA 17+
//SOURCES ../../lib/**.java
//SOURCES ../../tests/heph/docs/CliReference.java
//JAVAC_OPTIONS -encoding UTF-8
//JAVA_OPTIONS -XX:+UseSerialGC
//MAIN CliReferenceGen

/**
 * Rewrites docs/cli.md from heph's picocli commands: every command's usage as `--help` prints it.
 * Usage, from the checkout: ./jbang docs/gen/cli-reference.java
 * (tests/heph/docs/CliReferenceTest fails when docs/cli.md is stale; this is the one command that fixes it.)
 */
class CliReferenceGen {
    public static void main(String[] args) throws Exception {
        java.nio.file.Path script = java.nio.file.Path.of("docs", "gen", "cli-reference.java");
        String repo = args.length > 0 ? args[0] : ".";
        if (args.length == 0 && !java.nio.file.Files.exists(script)) {
            System.err.println("cli-reference: run it from heph's checkout: ./jbang docs/gen/cli-reference.java");
            System.exit(2);
        }
        heph.docs.CliReference.main(new String[] {repo});
    }
}
