///usr/bin/env bash -c 'exec "$(dirname "$0")/jbang" "$0" "$@"' ; exit $?
//JAVA 17+
//DESCRIPTION heph: race-free start/stop/restart/status of the hephd daemon on launchd and systemd --user
//JAVA_OPTIONS -XX:TieredStopAtLevel=1 -XX:+UseSerialGC
// Every library source is listed by name: JBang drops //SOURCES globs when heph.java is fetched by URL
// (jbang heph@owner/repo). tests/heph/SourcesListTest checks this list equals the .java files under lib/.
//SOURCES lib/heph/package-info.java
//SOURCES lib/heph/ExitCode.java lib/heph/HephException.java
//SOURCES lib/heph/cli/Main.java
//SOURCES lib/heph/json/Json.java
//SOURCES lib/heph/proc/CommandTimeoutException.java lib/heph/proc/ExecResult.java lib/heph/proc/ProcessRunner.java
//SOURCES lib/heph/proc/ZtExecRunner.java
//SOURCES lib/heph/sim/SimTool.java
//SOURCES lib/heph/time/Clock.java

import heph.cli.Main;

/** The JBang entry point; everything else lives in lib/. */
class heph {
    public static void main(String[] args) {
        System.exit(Main.run(args));
    }
}
