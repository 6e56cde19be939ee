// Asset checks: every asset's checks with their latest result; operators run an asset's checks again.
import { t } from './i18n.js';
import { h, fill, badge, formatTime, toast } from './dom.js';
import { api, whoAmI } from './session.js';

export async function showChecks(view) {
  const me = await whoAmI();
  const only = h('select', { id: 'checks-filter' },
    h('option', { value: '' }, t('checks.all')),
    h('option', { value: 'failing' }, t('checks.failing')));
  const body = h('tbody', {});
  fill(view, h('div', { class: 'page' },
    h('h1', {}, t('checks.title')),
    h('div', { class: 'toolbar' }, h('label', {}, t('checks.show'), only)),
    h('table', { class: 'data', id: 'checks-table' },
      h('thead', {}, h('tr', {}, h('th', {}, t('checks.asset')), h('th', {}, t('checks.check')),
        h('th', {}, t('checks.result')), h('th', {}, t('checks.when')), h('th', {}, t('checks.message')))),
      body)));
  let answer = await api('/api/ops/checks');

  async function run(asset) {
    try {
      const result = await api('/api/ops/asset/checks', { method: 'POST', body: { asset } });
      const failed = result.results.filter((r) => !r.passed).length;
      toast(t('checks.done', { count: result.results.length, failed }), failed > 0);
      answer = await api('/api/ops/checks');
      draw();
    } catch (e) {
      toast(e.message, true);
    }
  }

  function draw() {
    const failing = only.value === 'failing';
    const rows = [];
    for (const asset of answer.assets) {
      const checks = asset.checks.filter((check) => !failing || (check.result && !check.result.passed));
      checks.forEach((check, index) => rows.push(h('tr', { 'data-asset': asset.key, 'data-check': check.name },
        index === 0 ? h('td', { rowspan: checks.length },
          h('a', { href: `#/assets?key=${encodeURIComponent(asset.key)}` }, asset.key),
          me.can_operate && asset.checks.some((c) => c.kind !== 'dbt_test')
            ? h('div', {}, h('button', { type: 'button', onclick: () => run(asset.key) }, t('checks.run'))) : null) : null,
        h('td', {}, check.name, h('div', { class: 'hint' }, t(`checks.kind.${check.kind}`),
          check.blocking ? ` · ${t('checks.blocking')}` : '')),
        h('td', {}, check.result ? badge(check.result.passed ? 'success' : (check.blocking ? 'check_failed' : 'warning'))
          : h('span', { class: 'hint' }, t('checks.notrun'))),
        h('td', {}, check.result ? formatTime(check.result.time) : ''),
        h('td', {}, check.result ? check.result.message || '' : ''))));
    }
    fill(body, rows.length ? rows : h('tr', {}, h('td', { colspan: 5, class: 'empty' }, t('checks.none'))));
  }
  only.addEventListener('change', draw);
  draw();
}
