// The library's third-party dependencies, declared once (JBang merges //DEPS of every listed source).
//DEPS info.picocli:picocli:4.7.7
//DEPS com.googlecode.plist:dd-plist:1.30
//DEPS org.zeroturnaround:zt-exec:1.13.0
//DEPS org.slf4j:slf4j-nop:1.7.36
/**
 * heph: a race-free lifecycle manager for the per-user hephd daemon on launchd and systemd --user.
 * Start at {@link heph.Heph} for the scripting API.
 */
package heph;
