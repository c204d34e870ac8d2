package heph.sim;

import java.lang.reflect.Proxy;

/**
 * SIGTERM/SIGINT handling for the sample daemon and SimMain through sun.misc.Signal (module jdk.unsupported),
 * reached reflectively so that compiling heph prints no "internal proprietary API" warnings.
 */
final class Signals {
    private Signals() {
    }

    /** Runs {@code action} on a signal thread when {@code name} ("TERM", "INT") arrives, instead of exiting. */
    static void on(String name, Runnable action) {
        try {
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerType},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            action.run();
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> "signal handler for SIG" + name;
                    });
            install(name, handler, handlerType);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot handle SIG" + name + ": " + e, e);
        }
    }

    /** Sets {@code name} to SIG_IGN. */
    static void ignore(String name) {
        try {
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            install(name, handlerType.getField("SIG_IGN").get(null), handlerType);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot ignore SIG" + name + ": " + e, e);
        }
    }

    private static void install(String name, Object handler, Class<?> handlerType)
            throws ReflectiveOperationException {
        Class<?> signalType = Class.forName("sun.misc.Signal");
        Object signal = signalType.getConstructor(String.class).newInstance(name);
        signalType.getMethod("handle", signalType, handlerType).invoke(null, signal, handler);
    }
}
