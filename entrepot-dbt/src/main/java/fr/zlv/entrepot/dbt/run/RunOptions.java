package fr.zlv.entrepot.dbt.run;

/**
 * How a command runs.
 *
 * @param threads     nodes built at once
 * @param fullRefresh rebuild incremental models from scratch
 * @param failFast    stop at the first failure
 */
public record RunOptions(int threads, boolean fullRefresh, boolean failFast) {

    public RunOptions {
        threads = Math.max(1, threads);
    }
}
