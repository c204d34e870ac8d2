package heph.doctor;

import heph.service.Settings;
import java.nio.file.Path;

/**
 * What doctor, logs and the bootstrap diagnosis look at: a launchd label with its plist and domain, or a systemd
 * unit with its file. hephd's from {@link Settings} ({@link #of(Settings)}); another agent's from the settings its
 * {@code --label}, {@code --plist}, {@code --unit} or {@code --unit-file} gave ({@link #of(Settings, boolean)}).
 *
 * @param label    the launchd label
 * @param plist    the plist launchd loads it from
 * @param domain   "gui/&lt;uid&gt;" or "user/&lt;uid&gt;"
 * @param unit     the systemd unit name
 * @param unitFile the unit file heph writes
 * @param option   how heph's verbs name it: "" for hephd, else {@code --label LABEL} or {@code --unit UNIT}
 */
public record Subject(String label, Path plist, String domain, String unit, Path unitFile, String option) {

    /** hephd's (no option). */
    public Subject(String label, Path plist, String domain, String unit, Path unitFile) {
        this(label, plist, domain, unit, unitFile, "");
    }

    /** hephd's label/unit from the settings. */
    public static Subject of(Settings s) {
        return of(s, true);
    }

    /** The settings' label (launchd) or unit (systemd): hephd's, or another agent's. */
    public static Subject of(Settings s, boolean hephd) {
        return of(s, hephd, s.backend().equals("systemd") ? s.unitPath() : s.plistPath());
    }

    /** As above, installed as {@code file} (its plist or unit file: the one the verbs resolve, {@code Heph}'s). */
    public static Subject of(Settings s, boolean hephd, Path file) {
        boolean systemd = s.backend().equals("systemd");
        String option = hephd ? "" : systemd ? "--unit " + s.unit() : "--label " + s.label();
        return new Subject(s.label(), systemd ? s.plistPath() : file, s.domain() + "/" + s.uid(), s.unit(),
                systemd ? file : s.unitPath(), option);
    }

    /** Whether this is hephd (its flags baked, its socket) rather than another agent (its file as given). */
    public boolean hephd() {
        return option.isEmpty();
    }

    /** How messages name it: "hephd", or the agent's label (launchd) / unit (systemd). */
    public String who() {
        return hephd() ? "hephd" : option.substring(option.indexOf(' ') + 1);
    }

    /** The heph command that does {@code verb} to it: {@code heph restart}, {@code heph restart --label L}. */
    public String heph(String verb) {
        return "heph " + verb + (hephd() ? "" : " " + option);
    }

    /** {@code <domain>/<label>}. */
    public String target() {
        return domain + "/" + label;
    }

    /** "gui" or "user". */
    public String domainKind() {
        return domain.substring(0, domain.indexOf('/'));
    }
}
