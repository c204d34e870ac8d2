package heph.service;

import heph.HephException;
import heph.fs.AtomicFile;
import heph.fs.BoundedRead;
import heph.fs.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * heph's copy of a definition it last loaded, {@code $HOME/.local/state/heph/loaded/<name>} (0600 in a 0700 folder,
 * written atomically), e.g. {@code loaded/heph.service} for a systemd unit. The file the definition came from may be
 * edited by hand afterwards; this copy says what heph last loaded and saw run, so a failed reload is put back from
 * it, not from the (possibly broken) edit, and a changed file is told from what the manager runs.
 */
public final class LoadedText {
    private final Path file;

    public LoadedText(Settings s, String name) {
        this.file = s.stateDir().resolve("loaded").resolve(name);
    }

    public Path file() {
        return file;
    }

    /** The copy, or empty when there is none or it cannot be read (then it is no evidence either way). */
    public Optional<String> read() {
        return bytes().map(b -> new String(b, StandardCharsets.UTF_8));
    }

    /** The copy's bytes exactly as saved, or empty as for {@link #read}. */
    public Optional<byte[]> bytes() {
        try { // heph's own file: a link there is not followed, a FIFO or a huge file not read
            return Optional.of(BoundedRead.bytes(file, BoundedRead.DEFINITION_MAX, BoundedRead.Links.NOFOLLOW));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public void save(String text) {
        save(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes the copy atomically, 0600 in a 0700 folder. */
    public void save(byte[] bytes) {
        try {
            PrivateFiles.dir(file.getParent());
        } catch (IOException e) {
            throw HephException.failed("cannot create " + file.getParent() + ": " + e.getMessage());
        }
        AtomicFile.write(file, bytes, PosixFilePermissions.fromString("rw-------"));
    }

    /**
     * {@link #save(byte[])} right after heph changed the job (loaded or reloaded it): a copy that cannot be saved (a
     * read-only or full state folder) does not undo that change, so it is a warning, said through {@code say} and
     * added to {@code warnings}, not a failed verb. The stale copy is removed if it can be, so it is not taken for
     * what runs; without a copy the next verb compares with the installed file instead.
     */
    public void saveAfterChange(byte[] bytes, java.util.function.Consumer<String> say,
                                java.util.List<String> warnings) {
        try {
            save(bytes);
        } catch (RuntimeException e) {
            try {
                forget();
            } catch (RuntimeException ignored) {
                // the folder refuses changes: the old copy stays, and the warning says so
            }
            String w = "the job was changed, but heph could not save its copy of what it loaded (" + e.getMessage()
                    + (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? "; the previous copy " + file
                    + " is stale: remove it" : "") + ")";
            say.accept(w);
            warnings.add(w);
        }
    }

    /** {@link #saveAfterChange(byte[], java.util.function.Consumer, java.util.List)} of UTF-8 text. */
    public void saveAfterChange(String text, java.util.function.Consumer<String> say, java.util.List<String> warnings) {
        saveAfterChange(text.getBytes(StandardCharsets.UTF_8), say, warnings);
    }

    /** After heph removed the definition: the manager runs nothing of it, so there is nothing to compare with. */
    public void forget() {
        if (Files.exists(file)) {
            AtomicFile.delete(file);
        }
    }
}
