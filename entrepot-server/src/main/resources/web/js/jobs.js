// Jobs and schedules: launch a job (operators), each schedule's next tick and its on/off switch.
import { t } from './i18n.js';
import { h, fill, badge, formatTime, formatDuration, toast } from './dom.js';
import { api, whoAmI } from './session.js';

export async function showJobs(view) {
  const me = await whoAmI();
  const jobsBody = h('tbody', {});
  const schedulesBody = h('tbody', {});
  fill(view, h('div', { class: 'page' },
    h('h1', {}, t('jobs.title')),
    me.can_operate ? null : h('p', { class: 'hint', id: 'readonly-note' }, t('jobs.readonly')),
    h('table', { class: 'data', id: 'jobs-table' },
      h('thead', {}, h('tr', {}, h('th', {}, t('runs.job')), h('th', {}, t('jobs.description')),
        h('th', { class: 'num' }, t('jobs.assets')), h('th', {}, t('jobs.lastrun')), h('th', {}, ''))),
      jobsBody),
    h('h2', {}, t('schedules.title')),
    h('table', { class: 'data', id: 'schedules-table' },
      h('thead', {}, h('tr', {}, h('th', {}, t('schedules.schedule')), h('th', {}, t('runs.job')),
        h('th', {}, t('schedules.cron')), h('th', {}, t('schedules.next')), h('th', {}, t('schedules.last')),
        h('th', {}, t('schedules.state')))),
      schedulesBody)));

  async function launch(job) {
    try {
      const answer = await api('/api/ops/runs', { method: 'POST', body: { job } });
      toast(t('run.launched', { run: answer.run_id.slice(0, 8) }));
      location.hash = `#/runs/${answer.run_id}`;
    } catch (e) {
      toast(e.message, true);
    }
  }

  async function turn(schedule, on) {
    try {
      await api(`/api/ops/schedules/${encodeURIComponent(schedule)}`, { method: 'POST', body: { on } });
      toast(t(on ? 'schedules.turnedon' : 'schedules.turnedoff', { schedule }));
      await refresh();
    } catch (e) {
      toast(e.message, true);
    }
  }

  async function refresh() {
    const answer = await api('/api/ops/jobs');
    fill(jobsBody, answer.jobs.map((job) => h('tr', { 'data-job': job.job },
      h('td', {}, h('a', { href: `#/runs?job=${encodeURIComponent(job.job)}` }, job.job)),
      h('td', {}, job.description || '', h('div', { class: 'hint mono' }, job.select)),
      h('td', { class: 'num' }, job.assets),
      h('td', {}, job.last_run ? [badge(job.last_run.status), ' ',
        h('a', { href: `#/runs/${job.last_run.run_id}`, class: 'mono' }, job.last_run.run_id.slice(0, 8)),
        h('div', { class: 'hint' }, formatTime(job.last_run.started_at || job.last_run.created_at),
          job.last_run.duration_ms !== null ? ` · ${formatDuration(job.last_run.duration_ms)}` : '')]
        : h('span', { class: 'hint' }, t('jobs.neverrun'))),
      h('td', {}, me.can_operate ? h('button', { type: 'button', class: 'primary launch', disabled: !me.can_launch,
        'aria-label': t('jobs.launch.label', { job: job.job }), onclick: () => launch(job.job) }, t('jobs.launch'))
        : null))));
    fill(schedulesBody, answer.schedules.length ? answer.schedules.map((schedule) => h('tr', { 'data-schedule': schedule.schedule },
      h('td', {}, schedule.schedule),
      h('td', {}, schedule.job),
      h('td', { class: 'mono' }, `${schedule.cron} (${schedule.timezone})`),
      h('td', { class: 'next-tick' }, schedule.on && schedule.next_tick ? formatTime(schedule.next_tick) : '—'),
      h('td', {}, schedule.last_tick ? formatTime(schedule.last_tick) : t('schedules.never'),
        schedule.last_run ? [' · ', h('a', { href: `#/runs/${schedule.last_run}`, class: 'mono' }, schedule.last_run.slice(0, 8))] : null),
      h('td', {}, me.can_operate
        ? h('button', { type: 'button', class: 'switch', 'aria-pressed': schedule.on ? 'true' : 'false',
          'aria-label': t('schedules.switch', { schedule: schedule.schedule }),
          onclick: () => turn(schedule.schedule, !schedule.on) }, schedule.on ? t('schedules.on') : t('schedules.off'))
        : (schedule.on ? t('schedules.on') : t('schedules.off')))))
      : h('tr', {}, h('td', { colspan: 6, class: 'empty' }, t('schedules.none'))));
  }
  await refresh();
}
