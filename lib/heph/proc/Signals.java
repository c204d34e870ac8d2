package heph.proc;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Traps POSIX signals (INT, TERM) for a stretch of code, through the JDK's sun.misc.Signal. It is reached by
 * reflection only so that building heph prints no "internal proprietary API" warnings to every JBang user.
 */
public final class Signals {
    private Signals() {
    }

    /** A trap in force; closing it restores the previous handlers. */
    public interface Trap extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Replaces the handlers of {@code names} (e.g. "INT", "TERM") with {@code onSignal}, which receives the signal's
     * name. Use {@code "IGN"} semantics via {@link #ignore}.
     */
    public static Trap trap(List<String> names, Consumer<String> onSignal) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Method handle = signal.getMethod("handle", signal, handlerType);
            Method getName = signal.getMethod("getName");
            Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerType},
                    (proxy, method, args) -> {
                        if (method.getName().equals("handle")) {
                            onSignal.accept((String) getName.invoke(args[0]));
                            return null;
                        }
                        return method.getName().equals("toString") ? "heph signal trap" : null;
                    });
            List<Object[]> previous = new ArrayList<>();
            for (String name : names) {
                Object sig = signal.getConstructor(String.class).newInstance(name);
                previous.add(new Object[] {sig, handle.invoke(null, sig, handler)});
            }
            return () -> {
                for (Object[] p : previous) {
                    try {
                        handle.invoke(null, p[0], p[1]);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException("cannot restore the handler of SIG" + name(p[0]), e);
                    }
                }
            };
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this JVM cannot trap signals (sun.misc.Signal): " + e, e);
        }
    }

    /** Ignores {@code name} for the rest of the process (SIG_IGN), e.g. a daemon that ignores SIGTERM. */
    public static void ignore(String name) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object ign = handlerType.getField("SIG_IGN").get(null);
            signal.getMethod("handle", signal, handlerType)
                    .invoke(null, signal.getConstructor(String.class).newInstance(name), ign);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this JVM cannot ignore SIG" + name + ": " + e, e);
        }
    }

    /** The conventional exit status for death by this signal: 128 + its number (INT 130, TERM 143). */
    public static int exitStatus(String name) {
        return switch (name) {
            case "INT" -> heph.ExitCode.INTERRUPTED.code;
            case "TERM" -> heph.ExitCode.TERMINATED.code;
            case "HUP" -> 129;
            default -> 128;
        };
    }

    private static String name(Object sig) {
        return sig.toString();
    }
}
