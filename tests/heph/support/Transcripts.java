package heph.support;

/** `launchctl print` answers shaped like launchd-facts §3, for scripted runners. */
public final class Transcripts {
    private Transcripts() {
    }

    public static String notFound(String label, int uid) {
        return "Could not find service \"" + label + "\" in domain for user gui: " + uid + "\n";
    }

    public static String job(String label, int uid, String state, Long pid, String... argv) {
        StringBuilder sb = new StringBuilder();
        sb.append("gui/").append(uid).append('/').append(label).append(" = {\n");
        sb.append("\tactive count = ").append(pid == null ? 0 : 1).append('\n');
        sb.append("\tpath = /Users/u/Library/LaunchAgents/").append(label).append(".plist\n");
        sb.append("\ttype = LaunchAgent\n");
        sb.append("\tstate = ").append(state).append("\n\n");
        sb.append("\tprogram = ").append(argv[0]).append('\n');
        sb.append("\targuments = {\n");
        for (String a : argv) {
            sb.append("\t\t").append(a).append('\n');
        }
        sb.append("\t}\n\n");
        sb.append("\tenvironment = {\n\t\tpid => 999999\n\t\tHEPH_QUICKADD => 1\n\t}\n\n");
        sb.append("\texit timeout = 5\n");
        sb.append("\truns = 1\n");
        if (pid != null) {
            sb.append("\tpid = ").append(pid).append('\n');
        }
        sb.append("\tlast exit code = (never exited)\n");
        sb.append("\tproperties = keepalive | runatload | inferred program\n");
        sb.append("}\n");
        return sb.toString();
    }
}
