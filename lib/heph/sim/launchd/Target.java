package heph.sim.launchd;

/**
 * A parsed launchctl target specifier, as {@code <type>/<handle>[/<name>]} ({@code gui/501/org.x}) or
 * {@code system[/<name>]}. Pure. {@link #parse} returns null for what launchctl calls an "Unrecognized target
 * specifier" (docs/facts/launchd-facts.md "General rules").
 */
record Target(String type, long handle, String name) {

    /** Parses one specifier; null when the text is not a target launchctl would accept. */
    static Target parse(String spec) {
        if (spec == null || spec.isEmpty()) {
            return null;
        }
        String[] parts = spec.split("/", 3);
        String type = parts[0];
        if (type.equals("system")) {
            return new Target(type, 0, parts.length > 1 && !parts[1].isEmpty() ? parts[1] : null);
        }
        if (!type.equals("gui") && !type.equals("user") && !type.equals("session") && !type.equals("pid")
                && !type.equals("login")) {
            return null;
        }
        if (parts.length < 2 || !parts[1].matches("[0-9]{1,10}")) {
            return null;
        }
        String name = parts.length > 2 ? parts[2].split("/", -1)[0] : ""; // launchctl splits with strsep(3)
        name = name.isEmpty() ? null : name;
        return new Target(type, Long.parseLong(parts[1]), name);
    }

    boolean isService() {
        return name != null;
    }

    /** The domain part: "gui/501" or "system". */
    String domain() {
        return type.equals("system") ? "system" : type + "/" + handle;
    }

    /** How launchctl names the domain in "Could not find ... in domain for <phrase>". */
    String domainPhrase() {
        return switch (type) {
            case "system" -> "system";
            case "gui" -> "user gui: " + handle;
            case "user" -> "uid: " + handle;
            case "login" -> "login: " + handle;
            case "session" -> "asid: " + handle;
            default -> "pid: " + handle;
        };
    }

    boolean isGui(int uid) {
        return type.equals("gui") && handle == uid;
    }
}
