package heph.sim.systemd;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A systemctl command line as the fake reads it. Pure. Options may come anywhere (getopt permutes); {@code --}
 * ends them. Known: --user/--system, -q/--quiet, --now, --value, --no-reload, -p/--property (repeatable, also
 * {@code -pX}, {@code --property=X} and comma lists), and the harmless --no-pager, --no-block, --no-ask-password,
 * --no-legend, --full/-l, --all/-a, --timestamp=. Unit names without a unit-type suffix get ".service", as
 * systemctl's name mangling does.
 *
 * @param verb  "" when there was none
 * @param units the verb's arguments, mangled
 */
record SystemdArgs(boolean user, boolean quiet, boolean now, boolean valueOnly, boolean noReload,
                   List<String> properties, String verb, List<String> units) {
    private static final Set<String> HARMLESS = Set.of("--no-pager", "--no-block", "--no-ask-password",
            "--no-legend", "--full", "-l", "--all", "-a", "--no-warn");
    private static final Set<String> SUFFIXES = Set.of("service", "socket", "target", "device", "mount",
            "automount", "swap", "timer", "path", "slice", "scope");

    SystemdArgs {
        properties = List.copyOf(properties);
        units = List.copyOf(units);
    }

    /** @throws IllegalArgumentException with systemctl's own message for an unknown option */
    static SystemdArgs parse(List<String> args) {
        boolean user = false;
        boolean quiet = false;
        boolean now = false;
        boolean value = false;
        boolean noReload = false;
        List<String> props = new ArrayList<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                positional.addAll(args.subList(i + 1, args.size()));
                break;
            }
            switch (a) {
                case "--user" -> user = true;
                case "--system" -> user = false;
                case "-q", "--quiet" -> quiet = true;
                case "--now" -> now = true;
                case "--value" -> value = true;
                case "--no-reload" -> noReload = true;
                case "-p", "--property" -> {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException("systemctl: option requires an argument -- '"
                                + a.replace("-", "") + "'");
                    }
                    addProperties(props, args.get(++i));
                }
                default -> {
                    if (a.startsWith("--property=")) {
                        addProperties(props, a.substring("--property=".length()));
                    } else if (a.startsWith("-p") && a.length() > 2 && !a.startsWith("--")) {
                        addProperties(props, a.substring(2));
                    } else if (a.startsWith("--timestamp=") || HARMLESS.contains(a)) {
                        continue;
                    } else if (a.startsWith("--")) {
                        throw new IllegalArgumentException("systemctl: unrecognized option '" + a + "'");
                    } else if (a.startsWith("-") && a.length() > 1) {
                        throw new IllegalArgumentException("systemctl: invalid option -- '" + a.charAt(1) + "'");
                    } else {
                        positional.add(a);
                    }
                }
            }
        }
        String verb = positional.isEmpty() ? "" : positional.get(0);
        List<String> units = new ArrayList<>();
        for (String u : positional.subList(Math.min(1, positional.size()), positional.size())) {
            units.add(mangle(u));
        }
        return new SystemdArgs(user, quiet, now, value, noReload, props, verb, units);
    }

    private static void addProperties(List<String> props, String list) {
        for (String p : list.split(",")) {
            if (!p.isBlank()) {
                props.add(p.strip());
            }
        }
    }

    /** "heph" -> "heph.service"; names that already end in a unit type stay as they are. */
    static String mangle(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && SUFFIXES.contains(name.substring(dot + 1)) ? name : name + ".service";
    }
}
