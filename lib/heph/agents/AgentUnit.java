package heph.agents;

import heph.HephException;
import heph.fs.BoundedRead;
import heph.fs.FileNames;
import heph.systemd.UnitFile;
import heph.systemd.UnitFileVerdict;
import heph.systemd.UnitParseException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Any systemd user unit's file, used as given: heph installs its text as {@code <user unit folder>/<name>} and
 * compares it as parsed content ({@link UnitFile#sameUnit}), never rewriting it. Validated before anything happens
 * (each rule a one-line usage error naming the file): the file name is a service unit name ({@code foo.service});
 * the text is UTF-8; and systemd would load the unit and could start it ({@link UnitFileVerdict}).
 *
 * @param unit   the unit name (the file's name)
 * @param text   the file's text, exactly as read
 * @param source the file it was read from
 */
public record AgentUnit(String unit, String text, Path source) {
    private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9:_.\\\\-]+(@[A-Za-z0-9:_.\\\\-]*)?\\.service");

    /** Reads and validates {@code file}; {@link HephException#usage} (exit 2) naming it on any problem. */
    public static AgentUnit read(Path file) {
        String unit = unitName(file.getFileName() == null ? "" : file.getFileName().toString(), file.toString());
        byte[] bytes;
        try {
            bytes = BoundedRead.definition(file);
        } catch (NoSuchFileException e) {
            throw HephException.usage(file + ": no such file; expected a systemd unit file");
        } catch (BoundedRead.Refused e) {
            throw HephException.usage(file + ": " + e.getMessage() + "; expected a systemd unit file");
        } catch (IOException e) {
            throw HephException.usage(file + ": cannot read (" + e.getMessage() + "); expected a unit file");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw HephException.usage(file + ": is not UTF-8 text; expected a systemd unit file");
        }
        return parse(unit, text, file);
    }

    /** Validates {@code text} as the unit {@code unit} read from {@code file} (pure). */
    public static AgentUnit parse(String unit, String text, Path file) {
        UnitFile.Parsed parsed;
        try {
            parsed = UnitFile.load(text, file.toString());
        } catch (UnitParseException e) {
            throw HephException.usage(e.getMessage());
        }
        UnitFileVerdict.refusal(unit, parsed).ifPresent(why -> {
            throw HephException.usage(file + ": " + why);
        });
        return new AgentUnit(unit, text, file);
    }

    /**
     * A service unit name: {@code name} as given when it ends in .service, else {@code name.service}; a usage error
     * naming {@code what} when systemd would not accept it (or it is another unit type).
     */
    public static String unitName(String name, String what) {
        String unit = name != null && !name.contains(".") ? name + ".service" : name;
        if (unit == null || unit.startsWith("-") || !SERVICE.matcher(unit).matches()) {
            throw HephException.usage(what + ": '" + FileNames.prefix(heph.config.FlagValidation.show(name))
                    + "' is not a service unit name; expected e.g. sync.service (letters, digits, : _ . \\ - and one"
                    + " optional @)");
        }
        FileNames.requireFits(what, unit, ""); // the unit file, heph's loaded copy, its lock and temp files
        return unit;
    }
}
