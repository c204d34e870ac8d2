package heph.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.HephException;
import heph.launchd.plist.JobSpec;
import heph.systemd.UnitFile;
import heph.systemd.UnitParseException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Environment values never shown: a plist's EnvironmentVariables and a unit's Environment= lines, in diffs too. */
@org.junit.jupiter.api.Tag("unit")
class RedactionTest {
    static final String TOKEN = "s3cr3t-tok3n-9f8e";

    static String plist(String env) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n"
                + "\t<key>Label</key>\n\t<string>org.example.sync</string>\n"
                + "\t<key>ProgramArguments</key>\n\t<array>\n\t\t<string>/usr/bin/sync</string>\n\t</array>\n"
                + env + "</dict>\n</plist>\n";
    }

    static String envDict(String token) {
        return "\t<key>EnvironmentVariables</key>\n\t<dict>\n\t\t<key>API_TOKEN</key>\n\t\t<string>" + token
                + "</string>\n\t\t<key>PORT</key>\n\t\t<integer>8080</integer>\n\t</dict>\n";
    }

    @Test
    void plistEnvironmentValuesAreRedactedAndTheRestKept() {
        String r = Redaction.plist(plist(envDict(TOKEN)));
        assertFalse(r.contains(TOKEN), r);
        assertFalse(r.contains("8080"), r);
        assertTrue(r.contains("\t\t<key>API_TOKEN</key>\n\t\t<string><redacted></string>\n"), r);
        assertTrue(r.contains("\t\t<key>PORT</key>\n\t\t<integer><redacted></integer>\n"), r);
        assertTrue(r.contains("<string>org.example.sync</string>") && r.contains("<string>/usr/bin/sync</string>"), r);
    }

    @Test
    void plistOnOneLineWithCommentsAndAnEmptyDict() {
        String oneLine = "<plist><dict><key>EnvironmentVariables</key><!-- secrets --><dict><key>A</key>"
                + "<!-- the token --><string>" + TOKEN + "</string><key>B</key><string>x&amp;" + TOKEN
                + "</string></dict><key>Label</key><string>l</string></dict></plist>";
        String r = Redaction.plist(oneLine);
        assertFalse(r.contains(TOKEN), r);
        assertTrue(r.contains("<key>A</key><!-- the token --><string><redacted></string><key>B</key><string>"
                + "<redacted></string></dict><key>Label</key><string>l</string>"), r);
        String empty = plist("\t<key>EnvironmentVariables</key>\n\t<dict/>\n");
        assertEquals(empty, Redaction.plist(empty));
    }

    @Test
    void aChangedPlistValueShowsAsAChangedLineWithoutEitherValue() {
        String diff = Redaction.plistDiff("/p.plist", plist(envDict("old-" + TOKEN)), "/p.plist",
                plist(envDict("new-" + TOKEN)));
        assertFalse(diff.contains(TOKEN), diff);
        assertTrue(diff.contains("\n-\t\t<string><redacted></string>\n+\t\t<string><redacted> (changed)</string>\n"),
                diff);
        assertEquals("", Redaction.plistDiff("/p.plist", plist(envDict(TOKEN)), "/p.plist", plist(envDict(TOKEN))));
        String added = Redaction.plistDiff(null, "", "/p.plist", plist(envDict(TOKEN)));
        assertFalse(added.contains(TOKEN), added);
        assertTrue(added.contains("+\t\t<string><redacted></string>\n"), added);
    }

    static String unit(String env) {
        return "[Unit]\nDescription=sync\n\n[Service]\nExecStart=/usr/bin/sync --port 8080\n" + env
                + "Restart=always\n\n[Install]\nWantedBy=default.target\n";
    }

    @Test
    void unitEnvironmentFormsAreRedacted() {
        String text = unit("Environment=API_TOKEN=" + TOKEN + "\n"
                + "Environment=\"A=1 " + TOKEN + "\" \"B=2\"\n"
                + "Environment = C='" + TOKEN + "' D=4\n"
                + "#Environment=OLD=" + TOKEN + "\n"
                + "Environment=\n"
                + "EnvironmentFile=/home/u/.config/sync.env\n"
                + "Environment=E=" + TOKEN + " \\\n  F=" + TOKEN + "\n");
        String r = Redaction.unit(text);
        assertFalse(r.contains(TOKEN), r);
        assertTrue(r.contains("\nEnvironment=\"API_TOKEN=<redacted>\"\n"), r);
        assertTrue(r.contains("\nEnvironment=\"A=<redacted>\" \"B=<redacted>\"\n"), r);
        assertTrue(r.contains("\nEnvironment =\"C=<redacted>\" \"D=<redacted>\"\n"), r);
        assertTrue(r.contains("\n#Environment=\"OLD=<redacted>\"\n"), r);
        assertTrue(r.contains("\nEnvironment=\nEnvironmentFile=/home/u/.config/sync.env\n"), r);
        assertTrue(r.contains("\nEnvironment=\"E=<redacted>\" \"F=<redacted>\"\nRestart=always\n"), r);
        assertTrue(r.contains("ExecStart=/usr/bin/sync --port 8080\n"), "only environment values: " + r);
        assertTrue(Redaction.unit("[Service]\nEnvironment=\"A=" + TOKEN + "\n").endsWith("Environment=<redacted>\n"),
                "an unbalanced quote: the whole value");
    }

    @Test
    void unitCredentialValuesAreRedactedTheirIdsKept() {
        String text = unit("SetCredential=tok:" + TOKEN + "\n"
                + "SetCredentialEncrypted = db:" + TOKEN + "\n"
                + "#SetCredential=old:" + TOKEN + "\n"
                + "SetCredential=key:" + TOKEN + " \\\n  more" + TOKEN + "\n"
                + "LoadCredential=cert:/home/u/.config/cert.pem\n");
        String r = Redaction.unit(text);
        assertFalse(r.contains(TOKEN), r);
        assertTrue(r.contains("\nSetCredential=tok:<redacted>\nSetCredentialEncrypted =db:<redacted>\n"
                + "#SetCredential=old:<redacted>\nSetCredential=key:<redacted>\n"
                + "LoadCredential=cert:/home/u/.config/cert.pem\n"), r);
        String diff = Redaction.unitDiff("/u.service", unit("SetCredential=tok:a" + TOKEN + "\n"), "/u.service",
                unit("SetCredential=tok:b" + TOKEN + "\n"));
        assertFalse(diff.contains(TOKEN), diff);
        assertTrue(diff.contains("\n-SetCredential=tok:<redacted>\n+SetCredential=tok:<redacted> (changed)\n"), diff);
    }

    @Test
    void aChangedUnitValueShowsAsAChangedLine() {
        String diff = Redaction.unitDiff("/u.service", unit("Environment=\"A=1\" \"API_TOKEN=old" + TOKEN + "\"\n"),
                "/u.service", unit("Environment=\"A=1\" \"API_TOKEN=new" + TOKEN + "\"\n"));
        assertFalse(diff.contains(TOKEN), diff);
        assertTrue(diff.contains("\n-Environment=\"A=<redacted>\" \"API_TOKEN=<redacted>\"\n"
                + "+Environment=\"A=<redacted>\" \"API_TOKEN=<redacted> (changed)\"\n"), diff);
        String removed = Redaction.unitDiff("/u.service", unit("Environment=API_TOKEN=" + TOKEN + "\n"), null, "");
        assertFalse(removed.contains(TOKEN), removed);
        assertTrue(removed.contains("\n-Environment=\"API_TOKEN=<redacted>\"\n"), removed);
    }

    @Test
    void aPlistErrorNamesTheVariableButNeverEchoesItsValue() {
        HephException e = assertThrows(HephException.class, () -> new JobSpec("org.example.sync",
                List.of("/usr/bin/sync"), Map.of("API_TOKEN", TOKEN + "\u0001"), null, null));
        assertTrue(e.getMessage().contains("environment variable API_TOKEN contains control character U+0001"),
                e.getMessage());
        assertFalse(e.getMessage().contains(TOKEN), e.getMessage());
        HephException bad = assertThrows(HephException.class, () -> new JobSpec("org.example.sync",
                List.of("/usr/bin/sync"), Map.of("A=B", TOKEN), null, null));
        assertFalse(bad.getMessage().contains(TOKEN), bad.getMessage());
        assertTrue(bad.getMessage().contains("A=B=<redacted>"), bad.getMessage());
    }

    @Test
    void aUnitErrorNeverEchoesAnEnvironmentValue() {
        UnitParseException e = assertThrows(UnitParseException.class, () -> UnitFile.parse("[Service]\n"
                + "ExecStart=/usr/bin/sync\nEnvironment=\"API_TOKEN=" + TOKEN + "\n", "sync.service"));
        assertTrue(e.getMessage().contains("Environment= value cannot be unquoted: unbalanced"), e.getMessage());
        assertFalse(e.getMessage().contains(TOKEN), e.getMessage());
    }
}
