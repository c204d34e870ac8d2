package heph.install;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Two training runs' class lists join into one the static CDS dump accepts (newer JDKs number the classes). */
@org.junit.jupiter.api.Tag("unit")
class ClassListTest {
    @Test
    void numbersGoAndOtherLoadersClassesGo() {
        List<String> in = List.of("# NOTE: Do not modify this file.", "java/lang/Object id: 0", "heph/cli/Main id: 1249",
                "picocli/CommandLine", "com/x/Y id: 7 super: 0 source: /tmp/y.jar",
                "@lambda-proxy heph/cli/Main run ()Ljava/lang/Runnable; ()V REF_invokeStatic heph/cli/Main"
                        + " lambda$x$0 ()V ()V",
                "@cp heph/cli/Verbs 3 5 9");
        assertEquals(List.of("# NOTE: Do not modify this file.", "java/lang/Object", "heph/cli/Main",
                "picocli/CommandLine",
                "@lambda-proxy heph/cli/Main run ()Ljava/lang/Runnable; ()V REF_invokeStatic heph/cli/Main"
                        + " lambda$x$0 ()V ()V",
                "@cp heph/cli/Verbs 3 5 9"), CliInstaller.joinable(in));
    }
}
