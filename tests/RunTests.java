///usr/bin/env bash -c 'exec "$(dirname "$0")/../jbang" "$0" "$@"' ; exit $?
//JAVA 17+
//DEPS org.junit:junit-bom:6.1.3@pom
//DEPS org.junit.jupiter:junit-jupiter
//DEPS org.junit.platform:junit-platform-launcher
//SOURCES ../lib/**.java
//SOURCES heph/**.java
//JAVAC_OPTIONS -encoding UTF-8
//JAVA_OPTIONS -XX:+UseSerialGC

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs heph's JUnit suite and ends with the line "N passed, N failed, N skipped".
 * Exit 0 when all ran tests passed, 1 on any failure, 2 when no test ran.
 *
 * Usage: ./jbang tests/RunTests.java [PACKAGE|CLASS|CLASS#METHOD ...] [--exclude-tag TAG ...] [--include-tag TAG ...]
 *        [--tier NAME ...] [--fast] [--jobs N]
 * With no selector it runs everything under the package "heph". --tier NAME runs one tier (a tag every test class
 * carries, see heph.TiersTest); --fast runs the unit tier and the simulator tier without the classes tagged slow.
 * --jobs N runs up to N test classes at once (the methods of one class stay in order); default 3 with --fast
 * (measured green and 1.7 times faster), else 1: the full run stays one class at a time.
 * At the end it prints the time each tier took and the slowest classes.
 */
class RunTests {
    public static void main(String[] args) {
        List<DiscoverySelector> selectors = new ArrayList<>();
        List<String> include = new ArrayList<>();
        List<String> exclude = new ArrayList<>();
        int jobs = 0; // 0: not given; --fast then runs 3 classes at once, anything else 1
        boolean fast = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--fast")) {
                fast = true;
                include.addAll(List.of("unit", "simulator"));
                exclude.add("slow");
            } else if (a.equals("--tier") && i + 1 < args.length) {
                String tier = args[++i];
                if (!heph.TiersTest.TIERS.contains(tier)) {
                    System.err.println("RunTests: --tier " + tier + ": expected one of " + heph.TiersTest.TIERS);
                    System.exit(2);
                }
                include.add(tier);
            } else if (a.equals("--jobs") && i + 1 < args.length && args[i + 1].matches("[1-8]")) {
                jobs = Integer.parseInt(args[++i]);
            } else if (a.equals("--exclude-tag") && i + 1 < args.length) {
                exclude.add(args[++i]);
            } else if (a.equals("--include-tag") && i + 1 < args.length) {
                include.add(args[++i]);
            } else if (a.contains("#")) {
                selectors.add(selectMethod(a));
            } else if (!a.isEmpty() && Character.isUpperCase(a.charAt(a.lastIndexOf('.') + 1))) {
                selectors.add(selectClass(a));
            } else {
                selectors.add(selectPackage(a));
            }
        }
        if (selectors.isEmpty()) {
            selectors.add(selectPackage("heph"));
        }
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request().selectors(selectors)
                // a safety net: no single test may hang the suite (each has its own, much tighter bounds)
                .configurationParameter("junit.jupiter.execution.timeout.default", "5 m")
                .configurationParameter("junit.jupiter.execution.timeout.mode", "enabled");
        if (jobs == 0) {
            jobs = fast ? 3 : 1;
        }
        if (jobs > 1) {
            request.configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                    .configurationParameter("junit.jupiter.execution.parallel.mode.default", "same_thread")
                    .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                    .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                    .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism",
                            Integer.toString(jobs))
                    .configurationParameter("junit.jupiter.execution.parallel.config.fixed.max-pool-size",
                            Integer.toString(jobs));
        }
        if (!include.isEmpty()) {
            request.filters(TagFilter.includeTags(include));
        }
        if (!exclude.isEmpty()) {
            request.filters(TagFilter.excludeTags(exclude));
        }
        LauncherDiscoveryRequest built = request.build();

        PrintWriter out = new PrintWriter(System.out, true);
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        Map<String, Long> started = new ConcurrentHashMap<>();
        Map<String, Long> classMillis = new ConcurrentHashMap<>();
        Map<String, String> classTier = new ConcurrentHashMap<>();
        TestExecutionListener progress = new TestExecutionListener() {
            @Override
            public void executionStarted(TestIdentifier id) {
                started.put(id.getUniqueId(), System.nanoTime());
            }

            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                Long t0 = started.remove(id.getUniqueId());
                if (t0 != null && id.getSource().filter(ClassSource.class::isInstance).isPresent()) {
                    String name = ((ClassSource) id.getSource().get()).getJavaClass().getSimpleName();
                    classMillis.merge(name, (System.nanoTime() - t0) / 1_000_000, Long::sum);
                    classTier.put(name, id.getTags().stream().map(TestTag::getName)
                            .filter(heph.TiersTest.TIERS::contains).findFirst().orElse("untagged"));
                }
                // an aborted test or class is a skip (a failed assumption): its reason is printed with it
                String reason = result.getStatus() != TestExecutionResult.Status.ABORTED ? ""
                        : " (" + result.getThrowable().map(Throwable::getMessage).orElse("no reason given") + ")";
                if (id.isTest()) {
                    String mark = switch (result.getStatus()) {
                        case SUCCESSFUL -> "ok  ";
                        case FAILED -> "FAIL";
                        case ABORTED -> "skip";
                    };
                    out.println(mark + " " + describe(id) + reason);
                } else if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
                    out.println("skip " + id.getDisplayName() + " (all of it)" + reason);
                }
            }

            @Override
            public void executionSkipped(TestIdentifier id, String reason) {
                out.println("skip " + describe(id) + " (" + reason + ")");
            }
        };
        long t0 = System.nanoTime();
        LauncherFactory.create().execute(built, summary, progress);
        printTimes(out, classMillis, classTier, (System.nanoTime() - t0) / 1_000_000);
        TestExecutionSummary s = summary.getSummary();
        if (s.getTotalFailureCount() > 0) {
            out.println();
            s.printFailuresTo(out, 25);
        }
        long failed = s.getTestsFailedCount();
        long skipped = s.getTestsSkippedCount() + s.getTestsAbortedCount();
        long passed = s.getTestsSucceededCount();
        out.println();
        out.printf("%d passed, %d failed, %d skipped%n", passed, failed, skipped);
        out.flush();
        if (s.getTestsStartedCount() == 0) {
            System.err.println("RunTests: no test ran");
            System.exit(2);
        }
        System.exit(failed > 0 || s.getTotalFailureCount() > 0 ? 1 : 0);
    }

    /** The wall time by tier (sums of the classes' times) and the 15 slowest classes. */
    private static void printTimes(PrintWriter out, Map<String, Long> classMillis, Map<String, String> classTier,
            long wallMillis) {
        if (classMillis.isEmpty()) {
            return;
        }
        Map<String, Long> byTier = new TreeMap<>(Comparator.comparingInt((String t) -> {
            int i = heph.TiersTest.TIERS.indexOf(t);
            return i < 0 ? Integer.MAX_VALUE : i;
        }).thenComparing(t -> t));
        Map<String, Integer> classes = new TreeMap<>();
        classMillis.forEach((c, ms) -> {
            byTier.merge(classTier.get(c), ms, Long::sum);
            classes.merge(classTier.get(c), 1, Integer::sum);
        });
        out.println();
        out.printf("time: %.1f s in all; by tier:", wallMillis / 1000.0);
        byTier.forEach((t, ms) -> out.printf(" %s %.1f s (%d classes);", t, ms / 1000.0, classes.get(t)));
        out.println();
        out.println("slowest classes:");
        classMillis.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(15)
                .forEach(e -> out.printf("  %7.1f s  %s (%s)%n", e.getValue() / 1000.0, e.getKey(),
                        classTier.get(e.getKey())));
    }

    private static String describe(TestIdentifier id) {
        String className = id.getSource()
                .filter(MethodSource.class::isInstance)
                .map(src -> ((MethodSource) src).getJavaClass().getSimpleName() + " > ")
                .orElse("");
        return className + id.getDisplayName();
    }
}
