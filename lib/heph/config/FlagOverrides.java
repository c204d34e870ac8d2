package heph.config;

import heph.HephException;
import java.nio.file.Path;

/**
 * What the user passed on start/restart; a null field was not passed and keeps what is baked (docs/facts/hephd.md §5).
 * {@code selfUpdate} is TRUE for --self-update, FALSE for --no-self-update (which also drops the interval).
 */
public record FlagOverrides(String hephd, String mode, String hubUrl, String httpAddr, String oidcIssuer,
        String oidcAudience, String oidcClientId, String db, String socket, Boolean selfUpdate,
        Long selfUpdateIntervalSecs) {

    /** Nothing passed: applyTo returns the base unchanged. */
    public static FlagOverrides none() {
        return new FlagOverrides(null, null, null, null, null, null, null, null, null, null, null);
    }

    /** True when no flag was passed. */
    public boolean isEmpty() {
        return equals(none());
    }

    /**
     * The base with every passed flag replaced. Flags not passed and extraArgs are kept. selfUpdate FALSE removes
     * both --self-update and --self-update-interval-secs (even if an interval was also passed). An interval passed
     * without --self-update is baked as given and does not turn self-update on.
     */
    public DaemonConfig applyTo(DaemonConfig base) {
        boolean off = Boolean.FALSE.equals(selfUpdate);
        return new DaemonConfig(
                pick(hephd, base.hephd()),
                pick(mode, base.mode()),
                pick(hubUrl, base.hubUrl()),
                pick(httpAddr, base.httpAddr()),
                pick(oidcIssuer, base.oidcIssuer()),
                pick(oidcAudience, base.oidcAudience()),
                pick(oidcClientId, base.oidcClientId()),
                pick(db, base.db()),
                pick(socket, base.socket()),
                selfUpdate == null ? base.selfUpdate() : selfUpdate,
                off ? null : pick(selfUpdateIntervalSecs, base.selfUpdateIntervalSecs()),
                base.extraArgs());
    }

    /** A builder resolving relative --db/--socket/--hephd against the process's working directory. */
    public static Builder builder() {
        return new Builder(Path.of("").toAbsolutePath());
    }

    /** A builder resolving relative --db/--socket/--hephd against {@code cwd}. */
    public static Builder builder(Path cwd) {
        return new Builder(cwd);
    }

    private static <T> T pick(T passed, T kept) {
        return passed != null ? passed : kept;
    }

    /**
     * Takes the raw strings from the command line and validates each at once through {@link FlagValidation}
     * (throwing {@link HephException#usage}). A null argument means "not passed" and leaves the field unset.
     */
    public static final class Builder {
        private final Path cwd;
        private String hephd;
        private String mode;
        private String hubUrl;
        private String httpAddr;
        private String oidcIssuer;
        private String oidcAudience;
        private String oidcClientId;
        private String db;
        private String socket;
        private Boolean selfUpdate;
        private Long interval;

        private Builder(Path cwd) {
            this.cwd = cwd;
        }

        public Builder mode(String raw) {
            mode = raw == null ? null : FlagValidation.mode(raw);
            return this;
        }

        public Builder hubUrl(String raw) {
            hubUrl = raw == null ? null : FlagValidation.httpUrl(DaemonConfig.HUB_URL, raw);
            return this;
        }

        public Builder httpAddr(String raw) {
            httpAddr = raw == null ? null : FlagValidation.hostPort(raw);
            return this;
        }

        public Builder oidcIssuer(String raw) {
            oidcIssuer = raw == null ? null : FlagValidation.httpUrl(DaemonConfig.OIDC_ISSUER, raw);
            return this;
        }

        public Builder oidcAudience(String raw) {
            oidcAudience = raw == null ? null : FlagValidation.token(DaemonConfig.OIDC_AUDIENCE, raw);
            return this;
        }

        public Builder oidcClientId(String raw) {
            oidcClientId = raw == null ? null : FlagValidation.token(DaemonConfig.OIDC_CLIENT_ID, raw);
            return this;
        }

        public Builder db(String raw) {
            db = raw == null ? null : FlagValidation.path(DaemonConfig.DB, raw, cwd);
            return this;
        }

        public Builder socket(String raw) {
            socket = raw == null ? null : FlagValidation.path(DaemonConfig.SOCKET, raw, cwd);
            return this;
        }

        /** TRUE = --self-update, FALSE = --no-self-update, null = neither passed. */
        public Builder selfUpdate(Boolean on) {
            selfUpdate = on;
            return this;
        }

        public Builder selfUpdateIntervalSecs(String raw) {
            interval = raw == null ? null : FlagValidation.intervalSecs(raw);
            return this;
        }

        /** The hephd path, normally from {@link HephdLocator#locate}; normalized like --db. */
        public Builder hephd(String absolutePath) {
            hephd = absolutePath == null ? null : FlagValidation.path("--hephd", absolutePath, cwd);
            return this;
        }

        /** @throws HephException usage when --no-self-update and --self-update-interval-secs are both passed */
        public FlagOverrides build() {
            if (Boolean.FALSE.equals(selfUpdate) && interval != null) {
                throw HephException.usage("--no-self-update and --self-update-interval-secs cannot be used together");
            }
            return new FlagOverrides(hephd, mode, hubUrl, httpAddr, oidcIssuer, oidcAudience, oidcClientId, db,
                    socket, selfUpdate, interval);
        }
    }
}
