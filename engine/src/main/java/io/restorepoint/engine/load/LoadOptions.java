package io.restorepoint.engine.load;

/**
 * Tuning of a load.
 *
 * @param connections connections loading chunks in parallel
 */
public record LoadOptions(int connections) {

    public static LoadOptions defaults() {
        return new LoadOptions(Runtime.getRuntime().availableProcessors());
    }
}
