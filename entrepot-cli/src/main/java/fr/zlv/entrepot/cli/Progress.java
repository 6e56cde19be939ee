package fr.zlv.entrepot.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on the terminal for long work, drawn on standard error; nothing when the output is not
 * a terminal or is JSON, so logs and pipes stay clean.
 */
final class Progress implements AutoCloseable {

    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    static boolean interactive() {
        return System.console() != null;
    }

    /** A bar of {@code total} units, or an inactive one when not interactive. */
    static Progress start(String task, long total, String unit, boolean enabled) {
        if (!enabled || !interactive()) {
            return new Progress(null);
        }
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(Math.max(total, 1))
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setUnit(" " + unit, 1)
                .showSpeed(new java.text.DecimalFormat("#,##0"))
                .setUpdateIntervalMillis(200)
                .setConsumer(new ConsoleProgressBarConsumer(new PrintStream(System.err, true)))
                .build();
        return new Progress(bar);
    }

    void add(long units) {
        if (bar != null) {
            bar.stepBy(units);
            if (bar.getCurrent() > bar.getMax()) {
                bar.maxHint(bar.getCurrent());
            }
        }
    }

    void message(String text) {
        if (bar != null) {
            bar.setExtraMessage(text);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
