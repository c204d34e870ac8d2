package heph.cli;

import heph.HephException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** `heph demo`: replays the race and its fix against the launchd simulator. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "On any machine: start the launchd simulator and a sample daemon in a throwaway folder,"
                + " replay the verification, show the naive race failing, clean up.")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw HephException.failed("demo: not available yet");
    }
}
