package heph.doctor;

import heph.service.Settings;
import java.nio.file.Path;

/**
 * What doctor, logs and the bootstrap diagnosis look at: a launchd label with its plist and domain, or a systemd
 * unit with its file. Derived from {@link Settings} for hephd today ({@link #of}); a {@code --label}, {@code --plist}
 * or {@code --unit} argument can build one for any agent.
 *
 * @param label    the launchd label
 * @param plist    the plist launchd loads it from
 * @param domain   "gui/&lt;uid&gt;" or "user/&lt;uid&gt;"
 * @param unit     the systemd unit name
 * @param unitFile the unit file heph writes
 */
public record Subject(String label, Path plist, String domain, String unit, Path unitFile) {

    public static Subject of(Settings s) {
        return new Subject(s.label(), s.plistPath(), s.domain() + "/" + s.uid(), s.unit(), s.unitPath());
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
