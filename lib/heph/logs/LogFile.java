package heph.logs;

import java.nio.file.Path;

/**
 * One log file of the agent and the mark its lines get: {@code out} (StandardOutPath, StandardOutput=),
 * {@code err} (StandardErrorPath, StandardError=), or {@code o+e} when both name the same file.
 */
public record LogFile(String mark, Path path) {
}
