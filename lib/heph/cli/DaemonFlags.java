package heph.cli;

import heph.config.FlagOverrides;
import heph.config.HephdLocator;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** hephd's flags that start and restart bake into the plist/unit; a flag not passed keeps its baked value. */
public final class DaemonFlags {
    @Option(names = "--hephd", paramLabel = "PATH",
            description = "hephd executable (default: $HEPH_HEPHD, else the one already installed, else PATH).")
    String hephd;

    @Option(names = "--mode", paramLabel = "local|server", description = "hephd --mode (default local).")
    String mode;

    @Option(names = "--hub-url", paramLabel = "URL", description = "Hub to sync with (http or https).")
    String hubUrl;

    @Option(names = "--http-addr", paramLabel = "HOST:PORT", description = "Address hephd serves HTTP on.")
    String httpAddr;

    @Option(names = "--oidc-issuer", paramLabel = "URL", description = "OIDC issuer (http or https).")
    String oidcIssuer;

    @Option(names = "--oidc-audience", paramLabel = "S", description = "OIDC audience (hub).")
    String oidcAudience;

    @Option(names = "--oidc-client-id", paramLabel = "S", description = "OIDC client id (spoke).")
    String oidcClientId;

    @Option(names = "--db", paramLabel = "PATH", description = "hephd's database.")
    String db;

    @Option(names = "--socket", paramLabel = "PATH", description = "hephd's unix socket.")
    String socket;

    @Option(names = "--self-update", negatable = true,
            description = "Turn hephd's self-update on; --no-self-update turns it (and its interval) off.")
    Boolean selfUpdate;

    @Option(names = "--self-update-interval-secs", paramLabel = "N", description = "Self-update poll interval.")
    String selfUpdateIntervalSecs;

    /** The first of hephd's flags given, as typed (for "not hephd" errors), or null when none was. */
    String firstGiven() {
        Object[][] flags = {{"--hephd", hephd}, {"--mode", mode}, {"--hub-url", hubUrl}, {"--http-addr", httpAddr},
            {"--oidc-issuer", oidcIssuer}, {"--oidc-audience", oidcAudience}, {"--oidc-client-id", oidcClientId},
            {"--db", db}, {"--socket", socket}, {"--self-update", selfUpdate},
            {"--self-update-interval-secs", selfUpdateIntervalSecs}};
        for (Object[] f : flags) {
            if (f[1] != null) {
                return f[0].equals("--self-update") && Boolean.FALSE.equals(f[1]) ? "--no-self-update"
                        : (String) f[0];
            }
        }
        return null;
    }

    /** Validates every value (usage error, exit 2, before anything is touched) and returns the overrides. */
    FlagOverrides toOverrides(Map<String, String> env, Path cwd) {
        return FlagOverrides.builder(cwd)
                .hephd(hephd == null ? null : HephdLocator.locate(hephd, env, cwd).toString())
                .mode(mode).hubUrl(hubUrl).httpAddr(httpAddr)
                .oidcIssuer(oidcIssuer).oidcAudience(oidcAudience).oidcClientId(oidcClientId)
                .db(db).socket(socket)
                .selfUpdate(selfUpdate).selfUpdateIntervalSecs(selfUpdateIntervalSecs)
                .build();
    }
}
