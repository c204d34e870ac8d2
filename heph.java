///usr/bin/env bash -c 'exec "$(dirname "$0")/jbang" "$0" "$@"' ; exit $?
//JAVA 17+
//DESCRIPTION heph: race-free start/stop/restart/status of the hephd daemon on launchd and systemd --user
//JAVAC_OPTIONS -encoding UTF-8
//JAVA_OPTIONS -XX:TieredStopAtLevel=1 -XX:+UseSerialGC
// Every library source is listed by name: JBang drops //SOURCES globs when heph.java is fetched by URL
// (jbang heph@owner/repo). tests/heph/SourcesListTest checks this list equals the .java files under lib/.
//SOURCES lib/heph/ExitCode.java lib/heph/Heph.java lib/heph/HephException.java lib/heph/HephOptions.java lib/heph/package-info.java
//SOURCES lib/heph/agents/AgentFolder.java lib/heph/agents/AgentUnit.java lib/heph/agents/ApplyRecord.java lib/heph/agents/ApplyReport.java lib/heph/agents/Prune.java lib/heph/agents/SystemdApply.java
//SOURCES lib/heph/cli/AgentCommands.java lib/heph/cli/AgentOptions.java lib/heph/cli/CommandModel.java lib/heph/cli/CompletionCommand.java lib/heph/cli/DaemonFlags.java lib/heph/cli/DemoCommand.java lib/heph/cli/DoctorCommand.java lib/heph/cli/DurationConverter.java lib/heph/cli/GlobalOptions.java lib/heph/cli/Handoff.java lib/heph/cli/InstallCliCommand.java lib/heph/cli/JsonReply.java lib/heph/cli/LogsCommand.java lib/heph/cli/Main.java lib/heph/cli/StatusText.java lib/heph/cli/Verbs.java
//SOURCES lib/heph/config/DaemonConfig.java lib/heph/config/FlagOverrides.java lib/heph/config/FlagValidation.java lib/heph/config/HephdLocator.java
//SOURCES lib/heph/doctor/Check.java lib/heph/doctor/Diagnosis.java lib/heph/doctor/Doctor.java lib/heph/doctor/ExitMeanings.java lib/heph/doctor/LaunchdProbes.java lib/heph/doctor/PlistProbes.java lib/heph/doctor/Subject.java lib/heph/doctor/SystemdProbes.java
//SOURCES lib/heph/fs/AtomicFile.java lib/heph/fs/BoundedRead.java lib/heph/fs/FileNames.java lib/heph/fs/LabelLock.java lib/heph/fs/Owner.java lib/heph/fs/PrivateFiles.java lib/heph/fs/SetAside.java
//SOURCES lib/heph/install/ClassDataArchive.java lib/heph/install/CliFingerprint.java lib/heph/install/CliInstaller.java lib/heph/install/InstallResult.java lib/heph/install/LauncherScript.java
//SOURCES lib/heph/json/Json.java
//SOURCES lib/heph/launchd/BootoutWait.java lib/heph/launchd/JobVerifier.java lib/heph/launchd/Launchctl.java lib/heph/launchd/LaunchctlErrors.java lib/heph/launchd/LaunchdBackend.java lib/heph/launchd/LaunchdDryRun.java lib/heph/launchd/LaunchdPrimitives.java lib/heph/launchd/LaunchdStatus.java lib/heph/launchd/LoadedCopy.java lib/heph/launchd/LoadedJob.java lib/heph/launchd/LogFolders.java lib/heph/launchd/OtherDomain.java lib/heph/launchd/PrintInfo.java lib/heph/launchd/Reload.java
//SOURCES lib/heph/launchd/plist/AgentPlist.java lib/heph/launchd/plist/JobSpec.java lib/heph/launchd/plist/LaunchdPlist.java lib/heph/launchd/plist/PlistDefinition.java lib/heph/launchd/plist/PlistParseException.java lib/heph/launchd/plist/PlistShape.java
//SOURCES lib/heph/logs/AgentLogs.java lib/heph/logs/Follower.java lib/heph/logs/LogFile.java lib/heph/logs/Tail.java
//SOURCES lib/heph/plan/DryRun.java lib/heph/plan/Redaction.java lib/heph/plan/SystemdDryRuns.java lib/heph/plan/UnifiedDiff.java
//SOURCES lib/heph/proc/CommandTimeoutException.java lib/heph/proc/ExecResult.java lib/heph/proc/ProcessRunner.java lib/heph/proc/Signals.java lib/heph/proc/ZtExecRunner.java
//SOURCES lib/heph/service/Backend.java lib/heph/service/CriticalSection.java lib/heph/service/DefinitionSource.java lib/heph/service/DesiredConfig.java lib/heph/service/LoadedText.java lib/heph/service/Outcome.java lib/heph/service/ProgramCheck.java lib/heph/service/Progress.java lib/heph/service/ServiceStatus.java lib/heph/service/Settings.java lib/heph/service/SocketProbe.java
//SOURCES lib/heph/sim/Call.java lib/heph/sim/Knobs.java lib/heph/sim/ProcessGroups.java lib/heph/sim/Processes.java lib/heph/sim/Shims.java lib/heph/sim/SimMain.java lib/heph/sim/SimOptions.java lib/heph/sim/SimProcess.java lib/heph/sim/SimServer.java lib/heph/sim/SimTool.java lib/heph/sim/Simulator.java lib/heph/sim/Spawn.java
//SOURCES lib/heph/sim/daemon/DaemonArgs.java lib/heph/sim/daemon/DaemonRpc.java lib/heph/sim/daemon/SampleDaemon.java
//SOURCES lib/heph/sim/launchd/BootVerbs.java lib/heph/sim/launchd/DisabledStore.java lib/heph/sim/launchd/Domains.java lib/heph/sim/launchd/ImportedPlist.java lib/heph/sim/launchd/Job.java lib/heph/sim/launchd/LaunchctlUsage.java lib/heph/sim/launchd/LaunchdDomain.java lib/heph/sim/launchd/LaunchdErrors.java lib/heph/sim/launchd/LaunchdSim.java lib/heph/sim/launchd/Replies.java lib/heph/sim/launchd/ServicePrinter.java lib/heph/sim/launchd/ServiceVerbs.java lib/heph/sim/launchd/Target.java
//SOURCES lib/heph/sim/race/NaiveRestart.java lib/heph/sim/race/OtherRestarts.java lib/heph/sim/race/RaceCycle.java lib/heph/sim/race/RaceExperiment.java lib/heph/sim/race/RaceResult.java lib/heph/sim/race/RaceTable.java lib/heph/sim/race/StrategyBench.java lib/heph/sim/race/StrategyRun.java lib/heph/sim/race/StrategyTable.java
//SOURCES lib/heph/sim/systemd/SystemdArgs.java lib/heph/sim/systemd/SystemdDefinition.java lib/heph/sim/systemd/SystemdInstall.java lib/heph/sim/systemd/SystemdJournal.java lib/heph/sim/systemd/SystemdLifecycle.java lib/heph/sim/systemd/SystemdManager.java lib/heph/sim/systemd/SystemdScopes.java lib/heph/sim/systemd/SystemdShow.java lib/heph/sim/systemd/SystemdSim.java lib/heph/sim/systemd/SystemdTexts.java lib/heph/sim/systemd/SystemdTimespan.java lib/heph/sim/systemd/SystemdUnit.java lib/heph/sim/systemd/SystemdUnitText.java
//SOURCES lib/heph/systemd/ExecStartQuoting.java lib/heph/systemd/LoadedUnit.java lib/heph/systemd/Systemctl.java lib/heph/systemd/SystemctlErrors.java lib/heph/systemd/SystemdBackend.java lib/heph/systemd/SystemdStatus.java lib/heph/systemd/UnitDefinition.java lib/heph/systemd/UnitFile.java lib/heph/systemd/UnitFileExec.java lib/heph/systemd/UnitFileParser.java lib/heph/systemd/UnitFileSpecifiers.java lib/heph/systemd/UnitFileVerdict.java lib/heph/systemd/UnitLocation.java lib/heph/systemd/UnitParseException.java lib/heph/systemd/UnitSpec.java lib/heph/systemd/UnitState.java lib/heph/systemd/UnitVerifier.java lib/heph/systemd/WordReader.java
//SOURCES lib/heph/time/Clock.java

import heph.cli.Main;

/** The JBang entry point; everything else lives in lib/. */
class heph {
    public static void main(String[] args) {
        System.exit(Main.run(args));
    }
}
