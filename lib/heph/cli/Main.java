package heph.cli;

/** Placeholder root until the picocli commands land. */
public final class Main {
    private Main() {
    }

    public static int run(String[] args) {
        System.err.println("heph: not implemented yet");
        return 1;
    }
}
