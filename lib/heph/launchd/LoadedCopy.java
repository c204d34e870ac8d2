package heph.launchd;

import com.dd.plist.NSDictionary;
import heph.launchd.plist.LaunchdPlist;
import heph.service.LoadedText;
import heph.service.Settings;
import java.nio.file.Path;
import java.util.Optional;

/**
 * heph's copy of the plist it last loaded, {@code $HOME/.local/state/heph/loaded/<label>.plist} (0600 in a 0700
 * folder, written atomically). launchd keeps its own imported copy of a plist and ignores later edits to the file
 * (docs/facts/launchd-facts.md §1 notes), so this copy, not the file, says what launchd runs: a hand edit to the file differs
 * from it, and start/restart then reload. Saved after every bootstrap heph does, byte for byte as the file was
 * loaded (an agent's own file keeps its comments and formatting), removed when heph unloads the job.
 */
final class LoadedCopy {
    private final LoadedText text;

    LoadedCopy(Settings s) {
        this.text = new LoadedText(s, s.label() + ".plist");
    }

    Path file() {
        return text.file();
    }

    /** The copy, or empty when there is none or it cannot be read (then it is no evidence either way). */
    Optional<NSDictionary> read() {
        return bytes().map(b -> LaunchdPlist.parse(b, file().toString()));
    }

    /** The copy's bytes, exactly as saved (an agent's file byte for byte), or empty as for {@link #read}. */
    Optional<byte[]> bytes() {
        return text.bytes().filter(b -> {
            try {
                LaunchdPlist.parse(b, file().toString());
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    void save(NSDictionary loaded) {
        save(LaunchdPlist.toXml(loaded));
    }

    /**
     * Saves the plist bytes launchd was given, byte for byte (an agent's own file keeps its comments and
     * formatting, so a put-back restores exactly it). They must parse.
     */
    void save(byte[] plistBytes) {
        LaunchdPlist.parse(plistBytes, file().toString());
        text.save(plistBytes);
    }

    /** Saves what {@code plist} holds now (what launchd just loaded), else {@code fallback}'s XML. */
    void saveLoaded(Path plist, NSDictionary fallback) {
        byte[] onDisk = heph.launchd.plist.PlistDefinition.readBytes(plist);
        if (onDisk != null) {
            try {
                save(onDisk);
                return;
            } catch (RuntimeException e) {
                // the file changed under heph since bootstrap: keep what heph meant to load
            }
        }
        save(fallback);
    }

    /**
     * {@link #saveLoaded(Path, NSDictionary)} right after a bootstrap: failing to save is a warning (say and
     * {@code warnings}), not a failure of the verb that changed the job ({@link LoadedText#saveAfterChange}).
     */
    void saveLoaded(Path plist, NSDictionary fallback, java.util.function.Consumer<String> say,
                    java.util.List<String> warnings) {
        byte[] onDisk = heph.launchd.plist.PlistDefinition.readBytes(plist);
        byte[] bytes = LaunchdPlist.toXml(fallback);
        if (onDisk != null) {
            try {
                LaunchdPlist.parse(onDisk, file().toString());
                bytes = onDisk;
            } catch (RuntimeException e) {
                // the file changed under heph since bootstrap: keep what heph meant to load
            }
        }
        text.saveAfterChange(bytes, say, warnings);
    }

    /** After heph unloaded the job: launchd runs nothing, so there is nothing to compare with. */
    void forget() {
        text.forget();
    }
}
