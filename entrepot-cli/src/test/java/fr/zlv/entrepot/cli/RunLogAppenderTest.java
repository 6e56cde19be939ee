package fr.zlv.entrepot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import fr.zlv.entrepot.orchestrator.asset.AssetSpec;
import fr.zlv.entrepot.orchestrator.run.CheckEvaluator;
import fr.zlv.entrepot.orchestrator.run.Definitions;
import fr.zlv.entrepot.orchestrator.run.Orchestrator;
import fr.zlv.entrepot.orchestrator.run.RetryPolicy;
import fr.zlv.entrepot.orchestrator.run.StepSpec;
import fr.zlv.entrepot.orchestrator.store.RunEvent;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.RunStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A warning a step's code logs through SLF4J is kept with the run, by the command line's logging configuration. */
class RunLogAppenderTest {

    @TempDir
    Path directory;

    @Test
    void aStepsWarningIsStoredWithItsRunAndOtherThreadsLinesAreNot() {
        AssetKey key = new AssetKey("raw/noisy");
        Definitions definitions = new Definitions(List.of(AssetSpec.of(key.path())),
                List.of(StepSpec.single(key, RetryPolicy.NONE, false, context -> LoggerFactory
                        .getLogger("fr.zlv.entrepot.ingest.Test").warn("column {} has an unknown type", "geom"))),
                List.of(), List.of(), CheckEvaluator.NONE);
        try (RunStore store = RunStores.open(directory.resolve("runs.sqlite").toString());
             Orchestrator orchestrator = new Orchestrator(definitions, store, Orchestrator.Options.defaults())) {
            RunLogAppender.attach(orchestrator);
            LoggerFactory.getLogger("fr.zlv.entrepot.cli.Test").warn("not a step's line");
            String runId = orchestrator.materialize("raw/noisy", "test");
            orchestrator.await(runId, Duration.ofSeconds(30));

            List<RunEvent> logs = store.events(runId, 0).stream().filter(e -> e.type().equals("LOG")).toList();
            assertThat(logs).singleElement().satisfies(line -> {
                assertThat(line.message()).isEqualTo("column geom has an unknown type");
                assertThat(line.level()).isEqualTo(RunEvent.Level.WARN);
                assertThat(line.step()).isEqualTo("raw/noisy");
            });
        }
    }
}
