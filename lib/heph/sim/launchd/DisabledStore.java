package heph.sim.launchd;

import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import com.dd.plist.NSObject;
import com.dd.plist.PropertyListParser;
import com.dd.plist.XMLPropertyListWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The persistent enable/disable overrides of one uid, like /var/db/com.apple.xpc.launchd/disabled.&lt;uid&gt;.plist
 * (docs/facts/launchd-facts.md §5): label => true (disabled) / false (enabled). Entries are never deleted; the file survives the
 * simulator, so a new simulator on the same folder sees them. Written atomically (temp file + rename).
 */
public final class DisabledStore {
    private final Path file;
    private final Map<String, Boolean> overrides = new LinkedHashMap<>();

    public DisabledStore(Path stateDir, int uid) {
        this.file = stateDir.resolve("disabled." + uid + ".plist");
        load();
    }

    Path file() {
        return file;
    }

    synchronized boolean isDisabled(String label) {
        return overrides.getOrDefault(label, false);
    }

    synchronized void set(String label, boolean disabled) {
        overrides.put(label, disabled);
        save();
    }

    synchronized Map<String, Boolean> all() {
        return new LinkedHashMap<>(overrides);
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        try {
            NSObject root = PropertyListParser.parse(file);
            if (root instanceof NSDictionary d) {
                for (Map.Entry<String, NSObject> e : d.entrySet()) {
                    if (e.getValue() instanceof NSNumber n) {
                        overrides.put(e.getKey(), n.boolValue());
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the simulator's disabled overrides " + file
                    + " (expected an XML plist of label => bool): " + e.getMessage(), e);
        }
    }

    private void save() {
        NSDictionary d = new NSDictionary();
        overrides.forEach(d::put);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            XMLPropertyListWriter.write(d, tmp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
