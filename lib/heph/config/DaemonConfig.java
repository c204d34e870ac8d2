package heph.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * hephd's full argument list as data (docs/facts/hephd.md §3, §5). {@link #toArgv()} renders it in one fixed order;
 * {@link #fromArgv(List)} reads it back from a plist/unit, keeping flags heph does not know verbatim in
 * {@code extraArgs}. Values are stored as found: validation of user input happens in {@link FlagOverrides.Builder}.
 */
public record DaemonConfig(String hephd, String mode, String hubUrl, String httpAddr, String oidcIssuer,
        String oidcAudience, String oidcClientId, String db, String socket, boolean selfUpdate,
        Long selfUpdateIntervalSecs, List<String> extraArgs) {

    public static final String MODE = "--mode";
    public static final String HUB_URL = "--hub-url";
    public static final String HTTP_ADDR = "--http-addr";
    public static final String OIDC_ISSUER = "--oidc-issuer";
    public static final String OIDC_AUDIENCE = "--oidc-audience";
    public static final String OIDC_CLIENT_ID = "--oidc-client-id";
    public static final String DB = "--db";
    public static final String SOCKET = "--socket";
    public static final String SELF_UPDATE = "--self-update";
    public static final String SELF_UPDATE_INTERVAL = "--self-update-interval-secs";

    /** The flags heph models; every other flag stays in extraArgs. */
    public static final Set<String> VALUE_FLAGS = Set.of(MODE, HUB_URL, HTTP_ADDR, OIDC_ISSUER, OIDC_AUDIENCE,
            OIDC_CLIENT_ID, DB, SOCKET, SELF_UPDATE_INTERVAL);

    /** hephd is required; a null mode means "local"; extraArgs is copied (null means none). */
    public DaemonConfig {
        Objects.requireNonNull(hephd, "hephd");
        mode = mode == null ? "local" : mode;
        extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
    }

    /** Mode "local", everything else unset, false or empty. */
    public static DaemonConfig defaults(String hephd) {
        return new DaemonConfig(hephd, "local", null, null, null, null, null, null, null, false, null, List.of());
    }

    /** hephd, --mode, then only the set flags in a fixed order, then extraArgs verbatim. */
    public List<String> toArgv() {
        List<String> argv = new ArrayList<>();
        argv.add(hephd);
        argv.add(MODE);
        argv.add(mode);
        addIfSet(argv, HUB_URL, hubUrl);
        addIfSet(argv, HTTP_ADDR, httpAddr);
        addIfSet(argv, OIDC_ISSUER, oidcIssuer);
        addIfSet(argv, OIDC_AUDIENCE, oidcAudience);
        addIfSet(argv, OIDC_CLIENT_ID, oidcClientId);
        addIfSet(argv, DB, db);
        addIfSet(argv, SOCKET, socket);
        if (selfUpdate) {
            argv.add(SELF_UPDATE);
        }
        addIfSet(argv, SELF_UPDATE_INTERVAL, selfUpdateIntervalSecs == null ? null : selfUpdateIntervalSecs.toString());
        argv.addAll(extraArgs);
        return List.copyOf(argv);
    }

    /**
     * Reads an argv (ProgramArguments / ExecStart) back. argv[0] is hephd; {@code --flag value} and
     * {@code --flag=value} are both accepted; a missing --mode means "local"; when a known flag repeats, the last
     * wins. Anything else is kept in extraArgs in its original order: an unknown flag together with its value (a
     * following arg that does not start with "--"), a known flag without a usable value, stray args, and "--" with
     * everything after it. Null elements are skipped. Never throws on odd content.
     *
     * @throws IllegalArgumentException if argv is null or empty, or argv[0] is null
     */
    public static DaemonConfig fromArgv(List<String> argv) {
        if (argv == null || argv.isEmpty() || argv.get(0) == null) {
            throw new IllegalArgumentException("hephd argument list is empty");
        }
        List<String> rest = argv.subList(1, argv.size()).stream().filter(Objects::nonNull).toList();
        Reader r = new Reader();
        r.read(rest);
        return new DaemonConfig(argv.get(0), r.mode, r.hubUrl, r.httpAddr, r.oidcIssuer, r.oidcAudience,
                r.oidcClientId, r.db, r.socket, r.selfUpdate, r.interval, r.extra);
    }

    private static void addIfSet(List<String> argv, String flag, String value) {
        if (value != null) {
            argv.add(flag);
            argv.add(value);
        }
    }

    /** The mutable state of one fromArgv pass. */
    private static final class Reader {
        String mode = "local";
        String hubUrl;
        String httpAddr;
        String oidcIssuer;
        String oidcAudience;
        String oidcClientId;
        String db;
        String socket;
        boolean selfUpdate;
        Long interval;
        final List<String> extra = new ArrayList<>();

        void read(List<String> args) {
            int i = 0;
            while (i < args.size()) {
                i += step(args, i);
            }
        }

        /** Consumes the arg at i (and maybe its value); returns how many args were used. */
        private int step(List<String> args, int i) {
            String a = args.get(i);
            if (a.equals("--")) {
                extra.addAll(args.subList(i, args.size()));
                return args.size() - i;
            }
            if (!a.startsWith("--")) {
                extra.add(a);
                return 1;
            }
            int eq = a.indexOf('=');
            String name = eq < 0 ? a : a.substring(0, eq);
            String inline = eq < 0 ? null : a.substring(eq + 1);
            if (name.equals(SELF_UPDATE)) {
                readSelfUpdate(a, inline);
                return 1;
            }
            boolean nextIsValue = inline == null && i + 1 < args.size() && !args.get(i + 1).startsWith("--");
            int used = nextIsValue ? 2 : 1;
            String value = nextIsValue ? args.get(i + 1) : inline;
            if (!VALUE_FLAGS.contains(name) || value == null || !set(name, value)) {
                extra.addAll(args.subList(i, i + used));
            }
            return used;
        }

        private void readSelfUpdate(String arg, String inline) {
            if (inline == null || inline.equals("true")) {
                selfUpdate = true;
            } else if (inline.equals("false")) {
                selfUpdate = false;
            } else {
                extra.add(arg);
            }
        }

        /** Stores a known flag's value; false when it cannot be stored (a non-numeric interval). */
        private boolean set(String name, String value) {
            switch (name) {
                case MODE -> mode = value;
                case HUB_URL -> hubUrl = value;
                case HTTP_ADDR -> httpAddr = value;
                case OIDC_ISSUER -> oidcIssuer = value;
                case OIDC_AUDIENCE -> oidcAudience = value;
                case OIDC_CLIENT_ID -> oidcClientId = value;
                case DB -> db = value;
                case SOCKET -> socket = value;
                case SELF_UPDATE_INTERVAL -> {
                    if (!value.matches("[0-9]{1,18}")) {
                        return false;
                    }
                    interval = Long.parseLong(value);
                }
                default -> {
                    return false;
                }
            }
            return true;
        }
    }
}
