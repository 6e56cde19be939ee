package fr.zlv.entrepot.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import fr.zlv.entrepot.orchestrator.run.Orchestrator;
import fr.zlv.entrepot.orchestrator.store.RunEvent;
import java.util.Map;

/**
 * Keeps with a run the lines its steps log through SLF4J (a sync's warnings, a file's rejected rows): events whose
 * thread carries the orchestrator's MDC keys go to the orchestrator that {@link #attach attached} itself to the
 * logging context.
 */
public final class RunLogAppender extends AppenderBase<ILoggingEvent> {

    private static final String ORCHESTRATOR_KEY = "entrepot.orchestrator";

    /** Sends the steps' log lines of this process to the orchestrator's runs. */
    static void attach(Orchestrator orchestrator) {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.putObject(ORCHESTRATOR_KEY, orchestrator);
        }
    }

    @Override
    protected void append(ILoggingEvent event) {
        Map<String, String> mdc = event.getMDCPropertyMap();
        String runId = mdc.get(Orchestrator.MDC_RUN);
        if (runId != null && getContext().getObject(ORCHESTRATOR_KEY) instanceof Orchestrator orchestrator) {
            RunEvent.Level level = event.getLevel().isGreaterOrEqual(Level.ERROR) ? RunEvent.Level.ERROR
                    : event.getLevel().isGreaterOrEqual(Level.WARN) ? RunEvent.Level.WARN
                    : event.getLevel().isGreaterOrEqual(Level.INFO) ? RunEvent.Level.INFO : RunEvent.Level.DEBUG;
            orchestrator.log(runId, mdc.get(Orchestrator.MDC_STEP), level, event.getFormattedMessage());
        }
    }
}
