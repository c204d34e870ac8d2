package heph.fs;

import com.sun.security.auth.module.UnixSystem;
import heph.HephException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Who we are, and whether a path is ours: heph refuses to write through symlinks or into other users' files. */
public final class Owner {
    private Owner() {
    }

    public static int uid() {
        return (int) new UnixSystem().getUid();
    }

    /**
     * Throws a one-line {@link heph.HephException} (exit 1) if {@code file} exists and is a symlink or belongs to
     * another user; nothing is written then.
     */
    public static void requireOwnRegularFile(Path file) {
        if (Files.isSymbolicLink(file)) {
            throw HephException.failed(file + " is a symlink; heph only writes its own regular files."
                    + " Replace the link with a plain file (or remove it) and retry");
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            String kind = BoundedRead.kind((Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS));
            if (kind != null) {
                throw HephException.failed(file + " is " + kind + "; heph only writes its own regular files."
                        + " Move it away and retry");
            }
            int owner = (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (owner != uid()) {
                throw HephException.failed(file + " is owned by uid " + owner + ", not by you (uid " + uid()
                        + "); heph will not overwrite it. Fix its ownership (chown) and retry");
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw HephException.failed("cannot read the owner of " + file + ": " + e.getMessage());
        }
    }
}
