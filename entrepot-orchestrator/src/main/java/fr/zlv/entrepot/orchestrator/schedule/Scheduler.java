package fr.zlv.entrepot.orchestrator.schedule;

import fr.zlv.entrepot.core.EditDistance;
import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.ScheduleState;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which schedules are due and launches their jobs.
 *
 * <p>Each call to {@link #tick()} looks at every schedule that is on: when one or more of its ticks fell in
 * {@code (last tick handled, now]}, it launches <em>one</em> run (trigger {@code schedule:<name>}) for the newest of
 * them, so a process down for three days runs a daily job once, not three times. A schedule seen for the first time
 * starts from now: nothing is launched for its past. When a run of the job is still queued or running, a schedule
 * whose overlap policy is {@link OverlapPolicy#SKIP} (the default when none is given) consumes the tick without a run;
 * {@link OverlapPolicy#QUEUE} launches anyway and the executor runs it after the current one.
 *
 * <p>On/off, the last tick handled and the last run launched live in the run store ({@link ScheduleState}), read
 * afresh at every call, so they survive restarts and a {@code schedules off} from another process is obeyed at the
 * next tick. Turning a schedule back on starts it from that moment: ticks that fell while it was off are not caught
 * up. Decisions are logged here (logger {@code fr.zlv.entrepot.orchestrator.schedule.Scheduler}) and returned.
 *
 * <p>Methods are synchronized: the daemon's thread and a command may use one scheduler together. Several daemons may
 * tick the same store: each tick of a schedule is recorded once in the store ({@link RunStore#claimTick}), and only
 * the daemon that recorded it launches the run.
 */
public final class Scheduler {

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

    /** Missed ticks are counted for messages only; past this many the count says "at least". */
    private static final int MISSED_COUNT_LIMIT = 1000;

    private record Entry(ScheduleSpec spec, CronSchedule cron) {
    }

    private final Map<String, Entry> schedules;
    private final RunStore store;
    private final JobLauncher launcher;
    private final Clock clock;
    /** Recorded with the ticks this scheduler fires, for whoever reads the store. */
    private final String firedBy = "pid " + ProcessHandle.current().pid();

    /**
     * @throws EntrepotException (bad input) when a schedule has no name or job, a name is used twice, or a cron
     *                           expression or zone is wrong
     */
    public Scheduler(List<ScheduleSpec> specs, RunStore store, JobLauncher launcher, Clock clock) {
        Map<String, Entry> byName = new LinkedHashMap<>();
        for (ScheduleSpec spec : specs) {
            if (spec.name() == null || spec.name().isBlank()) {
                throw EntrepotException.badInput("A schedule of job '" + spec.job() + "' has no name.",
                        "Give every schedule a name in warehouse/jobs.yml.");
            }
            if (spec.job() == null || spec.job().isBlank()) {
                throw EntrepotException.badInput("Schedule '" + spec.name() + "' names no job.",
                        "Give the schedule the job it runs ('job: <name>') in warehouse/jobs.yml.");
            }
            if (byName.containsKey(spec.name())) {
                throw EntrepotException.badInput("Schedule '" + spec.name() + "' is declared twice.",
                        "Give each schedule its own name: the name keys its on/off state in the run store.");
            }
            byName.put(spec.name(), new Entry(spec, CronSchedule.parse(spec.name(), spec.cron(), spec.zone())));
        }
        this.schedules = Collections.unmodifiableMap(byName);
        this.store = store;
        this.launcher = launcher;
        this.clock = clock;
    }

    /** The schedules, in the order given. */
    public List<ScheduleSpec> specs() {
        return schedules.values().stream().map(Entry::spec).toList();
    }

    /** The clock the scheduler reads "now" from. */
    public Clock clock() {
        return clock;
    }

    /**
     * Evaluates every schedule that is on at the clock's current instant, launching what is due.
     *
     * @return one decision per schedule that had a due tick, in declaration order (empty when nothing was due)
     */
    public synchronized List<TickDecision> tick() {
        Instant now = clock.instant();
        List<TickDecision> decisions = new ArrayList<>();
        for (Entry entry : schedules.values()) {
            evaluate(entry, now).ifPresent(decisions::add);
        }
        return decisions;
    }

    private Optional<TickDecision> evaluate(Entry entry, Instant now) {
        ScheduleSpec spec = entry.spec();
        Optional<ScheduleState> stored = store.scheduleState(spec.name());
        if (stored.isEmpty() || stored.get().lastTick() == null) {
            // First seen (or never ticked): start from now rather than launching for the past.
            boolean on = stored.map(ScheduleState::running).orElse(spec.onByDefault());
            String lastRunId = stored.map(ScheduleState::lastRunId).orElse(null);
            store.saveScheduleState(new ScheduleState(spec.name(), on, now, lastRunId));
            LOG.info("Schedule '{}' ({} in {}, job '{}') registered {}; next tick {}", spec.name(), spec.cron(),
                    spec.zone(), spec.job(), on ? "on" : "off", entry.cron().next(now));
            return Optional.empty();
        }
        ScheduleState state = stored.get();
        if (!state.running()) {
            return Optional.empty();
        }
        ZonedDateTime newest = entry.cron().previous(now);
        if (!newest.toInstant().isAfter(state.lastTick())) {
            return Optional.empty();
        }
        if (!store.claimTick(spec.name(), newest.toInstant(), firedBy, now)) {
            // Another daemon on the same store fired this tick. Move on from it; the winner writes its run's id.
            LOG.debug("Schedule '{}': the tick of {} was fired by another daemon", spec.name(), newest);
            ScheduleState latest = store.scheduleState(spec.name()).orElse(state);
            if (latest.lastTick() == null || latest.lastTick().isBefore(newest.toInstant())) {
                store.saveScheduleState(new ScheduleState(spec.name(), latest.running(), newest.toInstant(),
                        latest.lastRunId()));
            }
            return Optional.empty();
        }
        int missed = entry.cron().ticksBetween(state.lastTick(), now, MISSED_COUNT_LIMIT).size();
        TickDecision decision = decide(spec, newest, missed);
        String lastRunId = decision.runId() != null ? decision.runId() : state.lastRunId();
        store.saveScheduleState(new ScheduleState(spec.name(), true, newest.toInstant(), lastRunId));
        switch (decision.action()) {
            case LAUNCHED, SKIPPED_OVERLAP -> LOG.info(decision.describe());
            case FAILED -> LOG.error(decision.describe());
        }
        return Optional.of(decision);
    }

    private TickDecision decide(ScheduleSpec spec, ZonedDateTime tick, int missed) {
        try {
            if (spec.overlap() != OverlapPolicy.QUEUE && launcher.active(spec.job())) {
                return new TickDecision(spec.name(), spec.job(), tick, TickDecision.Action.SKIPPED_OVERLAP, null,
                        missed, "a run of job '" + spec.job() + "' is still queued or running (overlap: skip)");
            }
            String runId = launcher.launch(spec.job(), "schedule:" + spec.name());
            return new TickDecision(spec.name(), spec.job(), tick, TickDecision.Action.LAUNCHED, runId, missed, null);
        } catch (RuntimeException e) {
            // The tick is consumed anyway: retrying every few seconds would flood the run history with failures.
            LOG.debug("Launch of job '{}' for schedule '{}' failed", spec.job(), spec.name(), e);
            return new TickDecision(spec.name(), spec.job(), tick, TickDecision.Action.FAILED, null, missed,
                    e.getMessage());
        }
    }

    /**
     * Turns a schedule on, from now: ticks that fell while it was off are not caught up.
     *
     * @throws EntrepotException (bad input) when no schedule has this name
     */
    public synchronized ScheduleView on(String name) {
        Entry entry = entry(name);
        Instant now = clock.instant();
        Optional<ScheduleState> stored = store.scheduleState(name);
        if (stored.isEmpty() || !stored.get().running() || stored.get().lastTick() == null) {
            String lastRunId = stored.map(ScheduleState::lastRunId).orElse(null);
            store.saveScheduleState(new ScheduleState(name, true, now, lastRunId));
            LOG.info("Schedule '{}' turned on; next tick {}", name, entry.cron().next(now));
        }
        return view(entry, now);
    }

    /**
     * Turns a schedule off: no run is launched for it until it is turned on again.
     *
     * @throws EntrepotException (bad input) when no schedule has this name
     */
    public synchronized ScheduleView off(String name) {
        Entry entry = entry(name);
        Instant now = clock.instant();
        Optional<ScheduleState> stored = store.scheduleState(name);
        if (stored.isEmpty() || stored.get().running()) {
            Instant lastTick = stored.map(ScheduleState::lastTick).orElse(now);
            String lastRunId = stored.map(ScheduleState::lastRunId).orElse(null);
            store.saveScheduleState(new ScheduleState(name, false, lastTick, lastRunId));
            LOG.info("Schedule '{}' turned off", name);
        }
        return view(entry, now);
    }

    /** Every schedule as it stands at {@code now}, in declaration order. */
    public synchronized List<ScheduleView> list(Instant now) {
        return schedules.values().stream().map(entry -> view(entry, now)).toList();
    }

    /** Every schedule as it stands at the clock's current instant. */
    public List<ScheduleView> list() {
        return list(clock.instant());
    }

    /**
     * When {@link #tick()} next has something to do: the earliest next tick of the schedules that are on, counted
     * from the last tick each handled (so a tick already due gives an instant in the past), or now for a schedule
     * not yet registered. Empty when every schedule is off.
     */
    public synchronized Optional<Instant> nextDue() {
        Instant now = clock.instant();
        Instant earliest = null;
        for (Entry entry : schedules.values()) {
            Optional<ScheduleState> stored = store.scheduleState(entry.spec().name());
            Instant due;
            if (stored.isEmpty() || stored.get().lastTick() == null) {
                due = now;
            } else if (!stored.get().running()) {
                continue;
            } else {
                due = entry.cron().next(stored.get().lastTick()).toInstant();
            }
            if (earliest == null || due.isBefore(earliest)) {
                earliest = due;
            }
        }
        return Optional.ofNullable(earliest);
    }

    private ScheduleView view(Entry entry, Instant now) {
        ScheduleSpec spec = entry.spec();
        Optional<ScheduleState> state = store.scheduleState(spec.name());
        boolean on = state.map(ScheduleState::running).orElse(spec.onByDefault());
        ZonedDateTime lastTick = state.map(ScheduleState::lastTick).map(t -> t.atZone(spec.zone())).orElse(null);
        String lastRunId = state.map(ScheduleState::lastRunId).orElse(null);
        ZonedDateTime nextTick = on ? entry.cron().next(now) : null;
        OverlapPolicy overlap = spec.overlap() == null ? OverlapPolicy.SKIP : spec.overlap();
        return new ScheduleView(spec.name(), spec.job(), entry.cron().expression(), entry.cron().fields(),
                spec.zone(), overlap, on, lastTick, lastRunId, nextTick);
    }

    private Entry entry(String name) {
        Entry entry = schedules.get(name);
        if (entry != null) {
            return entry;
        }
        if (schedules.isEmpty()) {
            throw EntrepotException.badInput("No schedule named '" + name + "': no schedule is declared.",
                    "Declare schedules in warehouse/jobs.yml.");
        }
        String known = String.join(", ", schedules.keySet());
        String hint = EditDistance.closest(name, schedules.keySet())
                .map(closest -> "Did you mean '" + closest + "'? ")
                .orElse("") + "'entrepot schedules list' shows every schedule.";
        throw EntrepotException.badInput("No schedule named '" + name + "'. Known schedules: " + known + ".", hint);
    }
}
