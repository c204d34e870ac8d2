package heph.sim.launchd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Tag("unit")
class TargetTest {
    @Test
    void parsesServiceAndDomainTargets() {
        assertEquals(new Target("gui", 501, "org.x"), Target.parse("gui/501/org.x"));
        assertEquals(new Target("gui", 501, null), Target.parse("gui/501"));
        assertEquals(new Target("gui", 501, null), Target.parse("gui/501/"));
        assertEquals(new Target("system", 0, "com.y"), Target.parse("system/com.y"));
        assertEquals("org.x", Target.parse("gui/501/org.x/extra").name()); // strsep(3) keeps the third field only
    }

    @Test
    void rejectsWhatLaunchctlCallsUnrecognized() {
        // docs/facts/launchd-facts.md "General rules": bad specifier -> 64
        assertNull(Target.parse("nonsense"));
        assertNull(Target.parse("gui"));
        assertNull(Target.parse("gui/abc/x"));
        assertNull(Target.parse(""));
        assertNull(Target.parse("/501/x"));
    }

    @Test
    void namesDomainsAsLaunchctlMessagesDo() {
        assertEquals("user gui: 501", Target.parse("gui/501/x").domainPhrase()); // §3 113/112 texts
        assertEquals("uid: 501", Target.parse("user/501").domainPhrase());
        assertEquals("gui/501", Target.parse("gui/501/x").domain());
    }
}
