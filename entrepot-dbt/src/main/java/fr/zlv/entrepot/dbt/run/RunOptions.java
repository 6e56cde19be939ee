package fr.zlv.entrepot.dbt.run;

/**
 * How a command runs.
 *
 * @param threads     nodes built at once
 * @param fullRefresh rebuild incremental models from scratch
 * @param failFast    stop at the first failure
 * @param storeFailures keep every test's failing rows in the audit schema ({@code --store-failures})
 */
public record RunOptions(int threads, boolean fullRefresh, boolean failFast, boolean storeFailures) {

    public RunOptions {
        threads = Math.max(1, threads);
    }

    public RunOptions(int threads, boolean fullRefresh, boolean failFast) {
        this(threads, fullRefresh, failFast, false);
    }
}
