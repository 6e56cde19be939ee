// The runs: a list (refreshed while any runs), and a run's page: its steps on a timeline, its errors, its logs live
// while it runs, and the operator's buttons (re-execute what failed, cancel).
import { t } from './i18n.js';
import { h, fill, badge, formatTime, formatDuration, toast } from './dom.js';
import { api, whoAmI } from './session.js';

export async function showRuns(view, query) {
  const job = query.get('job') || '';
  const jobs = await api('/api/ops/jobs');
  const select = h('select', { id: 'job-filter' }, h('option', { value: '' }, t('runs.alljobs')),
    jobs.jobs.map((j) => h('option', { value: j.job }, j.job)));
  select.value = job;
  select.addEventListener('change', () => {
    location.hash = select.value ? `#/runs?job=${encodeURIComponent(select.value)}` : '#/runs';
  });
  const body = h('tbody', {});
  fill(view, h('div', { class: 'page' },
    h('h1', {}, t('runs.title')),
    h('div', { class: 'toolbar' }, h('label', {}, t('runs.job'), select)),
    h('table', { class: 'data', id: 'runs-table' },
      h('thead', {}, h('tr', {}, h('th', {}, t('runs.status')), h('th', {}, t('runs.run')), h('th', {}, t('runs.job')),
        h('th', {}, t('runs.trigger')), h('th', {}, t('runs.started')), h('th', {}, t('runs.duration')),
        h('th', {}, t('runs.message')))),
      body)));

  let timer = null;
  let stopped = false;
  async function refresh() {
    const answer = await api(`/api/ops/runs?limit=100${job ? `&job=${encodeURIComponent(job)}` : ''}`);
    fill(body, answer.runs.length ? answer.runs.map((run) => h('tr', { 'data-run': run.run_id },
      h('td', {}, badge(run.status)),
      h('td', {}, h('a', { href: `#/runs/${run.run_id}`, class: 'mono' }, run.run_id.slice(0, 8))),
      h('td', {}, run.job || h('span', { class: 'hint', title: run.selection }, t('runs.adhoc'))),
      h('td', {}, run.trigger),
      h('td', {}, formatTime(run.started_at || run.created_at)),
      h('td', {}, formatDuration(run.duration_ms)),
      h('td', {}, run.message || ''))) : h('tr', {}, h('td', { colspan: 7, class: 'empty' }, t('runs.none'))));
    const busy = answer.runs.some((run) => run.status === 'queued' || run.status === 'started');
    if (!stopped) timer = setTimeout(() => refresh().catch(() => {}), busy ? 2000 : 10000);
  }
  await refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

export async function showRun(view, runId) {
  const me = await whoAmI();
  const head = h('div', { class: 'run-head' });
  const timeline = h('div', { class: 'timeline', id: 'timeline', role: 'list' });
  const stepFilter = h('select', { id: 'step-filter' }, h('option', { value: '' }, t('run.allsteps')));
  const logs = h('div', { class: 'logs', id: 'logs', role: 'log', 'aria-live': 'polite', tabindex: 0,
    'aria-label': t('run.logs') });
  const errors = h('div', { id: 'run-errors' });
  fill(view, h('div', { class: 'page' },
    h('p', {}, h('a', { href: '#/runs' }, `← ${t('runs.title')}`)),
    h('h1', {}, t('run.title', { run: runId.slice(0, 8) })),
    head,
    errors,
    h('h2', {}, t('run.steps')),
    h('div', { class: 'panel' }, timeline),
    h('h2', {}, t('run.logs')),
    h('div', { class: 'toolbar' }, h('label', {}, t('run.step'), stepFilter)),
    logs));

  const events = [];
  let after = 0;
  let stopped = false;
  let timer = null;
  let run = null;
  let finishedSeen = false;

  stepFilter.addEventListener('change', () => drawLogs());

  function drawHead() {
    const reexecute = me.can_operate && run.can_reexecute ? h('button', { type: 'button', class: 'primary',
      id: 'reexecute', onclick: () => act('reexecute') }, t('run.reexecute')) : null;
    const cancel = me.can_operate && run.can_cancel ? h('button', { type: 'button', id: 'cancel',
      onclick: () => act('cancel') }, t('run.cancel')) : null;
    fill(head,
      h('span', { id: 'run-status' }, badge(run.status)),
      h('span', {}, run.job ? `${t('runs.job')}${t('colon')}` : '', run.job ? h('a', { href: `#/runs?job=${run.job}` }, run.job)
        : h('span', { title: run.selection }, t('runs.adhoc'))),
      h('span', { class: 'hint' }, `${t('runs.trigger')}${t('colon')}${run.trigger}`),
      h('span', { class: 'hint' }, `${t('runs.started')}${t('colon')}${formatTime(run.started_at || run.created_at)}`),
      run.duration_ms !== null ? h('span', { class: 'hint' }, `${t('runs.duration')}${t('colon')}${formatDuration(run.duration_ms)}`) : null,
      run.reexecution_of ? h('a', { href: `#/runs/${run.reexecution_of}` }, t('run.parent', { run: run.reexecution_of.slice(0, 8) })) : null,
      reexecute, cancel);
    const failed = run.steps.filter((step) => step.error);
    fill(errors, run.message && run.status !== 'success'
      ? h('p', { class: 'error', role: 'alert', id: 'run-message' }, run.message) : null,
    failed.map((step) => h('div', { class: 'error step-failure', 'data-step': step.step },
      h('strong', {}, `${step.step}${t('colon')}`), step.error)));
  }

  function drawTimeline() {
    const starts = run.steps.map((step) => step.started_at).filter(Boolean).map((x) => Date.parse(x));
    const begin = Date.parse(run.started_at || run.created_at);
    const ends = run.steps.map((step) => (step.ended_at ? Date.parse(step.ended_at) : null));
    const end = run.ended_at ? Date.parse(run.ended_at) : Math.max(Date.now(), ...starts, ...ends.filter(Boolean));
    const span = Math.max(1, end - begin);
    if (!run.steps.length) {
      fill(timeline, h('p', { class: 'hint' }, t('run.nosteps')));
      return;
    }
    fill(timeline, run.steps.map((step) => {
      const from = step.started_at ? Date.parse(step.started_at) : null;
      const to = step.ended_at ? Date.parse(step.ended_at) : (from ? end : null);
      const left = from ? ((from - begin) / span) * 100 : 0;
      const width = from ? Math.max(0.5, ((to - from) / span) * 100) : 0;
      const label = `${step.step} — ${t(`status.${step.status}`)}${step.duration_ms !== null ? ` — ${formatDuration(step.duration_ms)}` : ''}`
        + (step.attempts > 1 ? ` — ${t('run.attempts', { count: step.attempts })}` : '');
      return [
        h('div', { role: 'listitem', class: 'step', 'data-step': step.step, 'data-status': step.status },
          badge(step.status), ' ', h('span', { class: 'mono' }, step.step),
          step.assets.length ? h('div', { class: 'hint' }, t('run.assets', { count: step.assets.length })) : null),
        h('div', { class: 'track', title: label, 'aria-label': label },
          from ? h('div', { class: `bar ${step.status}`, style: `left:${left}%;width:${Math.min(width, 100 - left)}%` }) : null),
      ];
    }));
    const names = run.steps.map((step) => step.step);
    if (stepFilter.options.length !== names.length + 1) {
      const chosen = stepFilter.value;
      fill(stepFilter, h('option', { value: '' }, t('run.allsteps')), names.map((name) => h('option', { value: name }, name)));
      stepFilter.value = chosen;
    }
  }

  function line(event) {
    return h('div', { class: `line ${event.level}`, 'data-type': event.type },
      h('span', { class: 'time' }, `${event.time.slice(11, 19)} `),
      event.step ? h('span', { class: 'stepname' }, `[${event.step}] `) : null,
      event.level === 'error' || event.level === 'warn' ? `${event.level.toUpperCase()} ` : '',
      event.message);
  }

  /** All the lines again (the step filter changed), or only the new ones (a long log stays cheap). */
  function drawLogs(added) {
    const step = stepFilter.value;
    const shown = (event) => !step || event.step === step;
    const atBottom = logs.scrollTop + logs.clientHeight >= logs.scrollHeight - 20;
    if (Array.isArray(added)) {
      logs.append(...added.filter(shown).map(line));
    } else {
      fill(logs, events.filter(shown).map(line));
    }
    if (atBottom) logs.scrollTop = logs.scrollHeight;
  }

  async function act(action) {
    try {
      const answer = await api(`/api/ops/runs/${runId}/${action}`, { method: 'POST', body: {} });
      if (action === 'reexecute') {
        toast(t('run.launched', { run: answer.run_id.slice(0, 8) }));
        location.hash = `#/runs/${answer.run_id}`;
      } else {
        toast(t('run.cancelling'));
        clearTimeout(timer);
        poll();
      }
    } catch (e) {
      toast(e.message, true);
    }
  }

  async function poll() {
    try {
      run = await api(`/api/ops/runs/${runId}`);
      const answer = await api(`/api/ops/runs/${runId}/events?after=${after}`);
      for (const event of answer.events) {
        events.push(event);
        after = Math.max(after, event.seq);
      }
      drawHead();
      drawTimeline();
      if (answer.events.length) drawLogs(answer.events);
      if (answer.more && !stopped) {
        // More lines than one answer holds: fetch the rest at once.
        timer = setTimeout(poll, 0);
        return;
      }
    } catch (e) {
      if (e.status === 404) {
        fill(view, h('div', { class: 'page' }, h('p', { class: 'error', role: 'alert' }, e.message)));
        return;
      }
      if (e.status === 401) return;
    }
    const finished = run && ['success', 'failure', 'canceled'].includes(run.status);
    // While it runs: new log lines every second. Once it ended, one more look catches the last lines.
    if (!stopped && (!finished || !finishedSeen)) {
      finishedSeen = finished;
      timer = setTimeout(poll, finished ? 1500 : 1000);
    }
  }
  await poll();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
