package stogger.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link Stogger#init()} set up: the targets now active and, for each target that was
 * skipped, why.
 *
 * @param activeTargets the names of the active targets, e.g. {@code [console, postgres]}
 * @param skippedTargets target name to the reason it is not active, in the order decided
 */
public record InitResult(List<String> activeTargets, Map<String, String> skippedTargets) {

    /**
     * Copies both collections, so the result is immutable.
     */
    public InitResult {
        activeTargets = List.copyOf(activeTargets);
        skippedTargets = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(skippedTargets));
    }

    /**
     * Whether a target is active.
     *
     * @param target a target name such as {@code "postgres"}
     * @return true when it is among {@link #activeTargets()}
     */
    public boolean isActive(String target) {
        return activeTargets.contains(target);
    }
}
