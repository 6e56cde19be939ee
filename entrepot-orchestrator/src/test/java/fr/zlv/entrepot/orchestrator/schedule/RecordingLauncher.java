package fr.zlv.entrepot.orchestrator.schedule;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test scaffolding: a launcher that writes down what it was asked to launch; jobs can be marked as still running. */
final class RecordingLauncher implements JobLauncher {

    record Launch(String runId, String job, String trigger) {
    }

    private final List<Launch> launches = new CopyOnWriteArrayList<>();
    private final Set<String> activeJobs = ConcurrentHashMap.newKeySet();
    private volatile String refusal;

    @Override
    public String launch(String job, String trigger) {
        if (refusal != null) {
            throw new IllegalStateException(refusal);
        }
        String runId = "run-" + (launches.size() + 1);
        launches.add(new Launch(runId, job, trigger));
        return runId;
    }

    @Override
    public boolean active(String job) {
        return activeJobs.contains(job);
    }

    List<Launch> launches() {
        return List.copyOf(launches);
    }

    void running(String job) {
        activeJobs.add(job);
    }

    void refuse(String message) {
        refusal = message;
    }
}
