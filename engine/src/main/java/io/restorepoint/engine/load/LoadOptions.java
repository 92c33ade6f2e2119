package io.restorepoint.engine.load;

/**
 * Tuning of a load.
 *
 * @param connections connections loading chunks in parallel
 * @param definers    whose rights restored views, triggers, routines and events run with
 */
public record LoadOptions(int connections, DefinerPolicy definers) {

    public LoadOptions(int connections) {
        this(connections, DefinerPolicy.KEEP);
    }

    public static LoadOptions defaults() {
        return new LoadOptions(Runtime.getRuntime().availableProcessors());
    }
}
