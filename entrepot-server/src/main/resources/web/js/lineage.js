// The asset lineage graph: every asset in columns by depth (what it is built from on its left), coloured by state;
// a click (or Enter) shows its details, upstream and downstream; operators materialize a selection from here.
import { t } from './i18n.js';
import { h, s, fill, badge, formatTime, formatNumber, formatDuration, toast } from './dom.js';
import { api, whoAmI } from './session.js';

const NODE_WIDTH = 220;
const NODE_HEIGHT = 40;
const COLUMN = 280;
const ROW = 50;
const STATUSES = ['materialized', 'running', 'failed', 'check_failed', 'warning', 'never'];

export async function showLineage(view, query) {
  const me = await whoAmI();
  const state = {
    assets: new Map(),
    current: query.get('key'),
    group: query.get('group') || '',
    status: '',
    search: '',
    selected: new Set(),
    viewBox: null,
  };

  const svg = s('svg', { role: 'group', 'aria-label': t('lineage.graph') });
  const viewport = s('g', { class: 'viewport' });
  svg.append(viewport);
  const details = h('aside', { class: 'panel details', id: 'asset-details', 'aria-live': 'polite' },
    h('p', { class: 'hint' }, t('lineage.pick')));
  const groupSelect = h('select', { id: 'group-filter' }, h('option', { value: '' }, t('lineage.allgroups')));
  const statusSelect = h('select', { id: 'status-filter' }, h('option', { value: '' }, t('lineage.allstatuses')),
    STATUSES.map((status) => h('option', { value: status }, t(`status.${status}`))));
  const search = h('input', { id: 'asset-search', type: 'search', placeholder: t('lineage.search.placeholder') });
  const selectionBar = h('div', { class: 'selection-bar', id: 'selection-bar' });
  const counts = h('span', { class: 'hint', id: 'asset-count' });

  fill(view, h('div', { class: 'page' },
    h('h1', {}, t('lineage.title')),
    h('div', { class: 'toolbar' },
      h('label', {}, t('lineage.group'), groupSelect),
      h('label', {}, t('lineage.status'), statusSelect),
      h('label', {}, t('lineage.search'), search),
      h('div', { role: 'group', 'aria-label': t('lineage.zoom') },
        h('button', { type: 'button', onclick: () => zoom(0.8), 'aria-label': t('lineage.zoomin') }, '+'),
        h('button', { type: 'button', onclick: () => zoom(1.25), 'aria-label': t('lineage.zoomout') }, '−'),
        h('button', { type: 'button', onclick: () => fit(), id: 'fit' }, t('lineage.fit'))),
      counts),
    h('div', { class: 'legend', 'aria-label': t('lineage.legend') }, STATUSES.map(badge)),
    me.can_operate ? selectionBar : null,
    h('div', { class: 'lineage-layout' }, h('div', { id: 'lineage' }, svg), details)));

  groupSelect.value = state.group;
  groupSelect.addEventListener('change', () => { state.group = groupSelect.value; draw(true); });
  statusSelect.addEventListener('change', () => { state.status = statusSelect.value; draw(false); });
  search.addEventListener('input', () => { state.search = search.value.trim().toLowerCase(); draw(false); });

  // Pan with the mouse, zoom with the wheel.
  let drag = null;
  svg.addEventListener('pointerdown', (event) => {
    if (event.target.closest('.node')) return;
    drag = { x: event.clientX, y: event.clientY, box: { ...state.viewBox } };
    svg.setPointerCapture(event.pointerId);
  });
  svg.addEventListener('pointermove', (event) => {
    if (!drag) return;
    const scale = state.viewBox.width / svg.clientWidth;
    state.viewBox.x = drag.box.x - (event.clientX - drag.x) * scale;
    state.viewBox.y = drag.box.y - (event.clientY - drag.y) * scale;
    applyViewBox();
  });
  svg.addEventListener('pointerup', () => { drag = null; });
  svg.addEventListener('wheel', (event) => {
    event.preventDefault();
    zoom(event.deltaY > 0 ? 1.1 : 0.9);
  }, { passive: false });

  function applyViewBox() {
    const box = state.viewBox;
    svg.setAttribute('viewBox', `${box.x} ${box.y} ${box.width} ${box.height}`);
  }

  function zoom(factor) {
    const box = state.viewBox;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    box.width *= factor;
    box.height *= factor;
    box.x = cx - box.width / 2;
    box.y = cy - box.height / 2;
    applyViewBox();
  }

  let extent = { width: 800, height: 400 };
  function fit() {
    const ratio = (svg.clientHeight || 500) / (svg.clientWidth || 900);
    const width = Math.max(extent.width + 40, (extent.height + 40) / ratio);
    state.viewBox = { x: -20, y: -20, width, height: width * ratio };
    applyViewBox();
  }

  /** Upstream or downstream closure of a key. */
  function closure(key, direction) {
    const seen = new Set();
    const stack = [key];
    while (stack.length) {
      const next = stack.pop();
      const asset = state.assets.get(next);
      if (!asset) continue;
      for (const neighbour of asset[direction]) {
        if (!seen.has(neighbour)) {
          seen.add(neighbour);
          stack.push(neighbour);
        }
      }
    }
    return seen;
  }

  /** Columns by depth; in each column by group then name, then by where their upstream assets are. */
  function layout(assets) {
    const depth = new Map();
    const depthOf = (asset) => {
      if (depth.has(asset.key)) return depth.get(asset.key);
      depth.set(asset.key, 0);
      const ups = asset.upstream.filter((key) => visibleKeys.has(key)).map((key) => depthOf(state.assets.get(key)));
      const value = ups.length ? Math.max(...ups) + 1 : 0;
      depth.set(asset.key, value);
      return value;
    };
    const visibleKeys = new Set(assets.map((asset) => asset.key));
    assets.forEach(depthOf);
    const columns = [];
    for (const asset of assets) {
      const column = depth.get(asset.key);
      (columns[column] = columns[column] || []).push(asset);
    }
    const position = new Map();
    columns.forEach((column, index) => {
      if (index === 0) {
        column.sort((a, b) => a.group.localeCompare(b.group) || a.key.localeCompare(b.key));
      } else {
        const centre = (asset) => {
          const ups = asset.upstream.filter((key) => position.has(key)).map((key) => position.get(key).row);
          return ups.length ? ups.reduce((x, y) => x + y, 0) / ups.length : 0;
        };
        column.sort((a, b) => centre(a) - centre(b) || a.key.localeCompare(b.key));
      }
      column.forEach((asset, row) => position.set(asset.key, { column: index, row, x: index * COLUMN,
        y: row * ROW }));
    });
    extent = {
      width: Math.max(1, columns.length) * COLUMN,
      height: Math.max(1, ...columns.map((column) => (column ? column.length : 0))) * ROW,
    };
    return position;
  }

  function draw(refit) {
    const all = [...state.assets.values()];
    const inGroup = state.group ? new Set(all.filter((a) => a.group === state.group).map((a) => a.key)) : null;
    // A group shows with its direct neighbours, so the lineage stays readable.
    const visible = all.filter((asset) => !inGroup || inGroup.has(asset.key)
      || asset.upstream.some((key) => inGroup.has(key)) || asset.downstream.some((key) => inGroup.has(key)));
    const position = layout(visible);
    const focus = state.current && state.assets.has(state.current)
      ? new Set([state.current, ...closure(state.current, 'upstream'), ...closure(state.current, 'downstream')])
      : null;
    const matches = (asset) => (!state.status || asset.status === state.status)
      && (!state.search || asset.key.toLowerCase().includes(state.search));
    const edges = s('g', { class: 'edges' });
    const nodes = s('g', { class: 'nodes' });
    for (const asset of visible) {
      const to = position.get(asset.key);
      for (const key of asset.upstream) {
        const from = position.get(key);
        if (!from) continue;
        const x1 = from.x + NODE_WIDTH;
        const y1 = from.y + NODE_HEIGHT / 2;
        const x2 = to.x;
        const y2 = to.y + NODE_HEIGHT / 2;
        const middle = (x1 + x2) / 2;
        const onPath = focus && focus.has(key) && focus.has(asset.key);
        edges.append(s('path', {
          class: `edge${onPath ? ' highlight' : ''}${focus && !onPath ? ' dimmed' : ''}`,
          d: `M${x1},${y1} C${middle},${y1} ${middle},${y2} ${x2},${y2}`,
          'data-from': key, 'data-to': asset.key,
        }));
      }
    }
    for (const asset of visible) {
      const at = position.get(asset.key);
      const name = asset.key.split('/').pop();
      const dimmed = (focus && !focus.has(asset.key)) || !matches(asset);
      const classes = ['node', asset.status];
      if (asset.key === state.current) classes.push('current');
      if (state.selected.has(asset.key)) classes.push('selected');
      if (dimmed) classes.push('dimmed');
      const last = asset.last_materialization;
      const title = `${asset.key} — ${t(`status.${asset.status}`)}${last ? ` — ${formatTime(last.time)}` : ''}`;
      const node = s('g', {
        class: classes.join(' '), transform: `translate(${at.x},${at.y})`, tabindex: 0, role: 'button',
        'data-key': asset.key, 'data-status': asset.status, 'aria-label': title,
        'aria-pressed': state.selected.has(asset.key) ? 'true' : 'false',
      },
      s('title', {}, title),
      s('rect', { class: 'box', width: NODE_WIDTH, height: NODE_HEIGHT }),
      s('rect', { class: 'strip', width: 6, height: NODE_HEIGHT }),
      s('text', { class: 'icon', x: NODE_WIDTH - 18, y: 17 }, icon(asset.status)),
      s('text', { x: 14, y: 17 }, clip(name, 27)),
      s('text', { class: 'sub', x: 14, y: 32 }, clip(`${asset.group}${asset.kind ? ` · ${asset.kind}` : ''}`
        + (asset.checks ? ` · ${asset.checks_passed}/${asset.checks} ${t('lineage.checks.short')}` : ''), 36)));
      node.addEventListener('click', (event) => {
        if ((event.ctrlKey || event.metaKey || event.shiftKey) && me.can_operate) {
          toggleSelected(asset.key);
        } else {
          open(asset.key);
        }
      });
      node.addEventListener('keydown', (event) => {
        if (event.key === 'Enter') {
          event.preventDefault();
          open(asset.key);
        } else if (event.key === ' ' && me.can_operate) {
          event.preventDefault();
          toggleSelected(asset.key);
        }
      });
      nodes.append(node);
    }
    const focused = document.activeElement && document.activeElement.dataset
      ? document.activeElement.dataset.key : null;
    fill(viewport, edges, nodes);
    if (focused) {
      const again = viewport.querySelector(`.node[data-key="${CSS.escape(focused)}"]`);
      if (again) again.focus({ preventScroll: true });
    }
    const running = all.filter((asset) => asset.status === 'running').length;
    counts.textContent = t('lineage.count', { shown: visible.length, total: all.length, running });
    if (refit || !state.viewBox) fit();
    drawSelection();
  }

  function icon(status) {
    return { materialized: '✓', failed: '✗', check_failed: '!', warning: '⚠', running: '⟳', never: '○' }[status] || '';
  }

  function toggleSelected(key) {
    if (state.selected.has(key)) state.selected.delete(key); else state.selected.add(key);
    draw(false);
  }

  function drawSelection() {
    if (!me.can_operate) return;
    const count = state.selected.size;
    fill(selectionBar,
      h('span', { class: 'hint' }, count ? t('lineage.selected', { count }) : t('lineage.selecthelp')),
      h('button', { type: 'button', class: 'primary', id: 'materialize-selection', disabled: !count || !me.can_launch,
        onclick: () => materialize([...state.selected]) }, t('lineage.materialize.selection')),
      count ? h('button', { type: 'button', onclick: () => { state.selected.clear(); draw(false); } },
        t('lineage.clear')) : null);
  }

  async function materialize(keys) {
    try {
      const answer = await api('/api/ops/runs', { method: 'POST', body: { assets: keys } });
      toast(t('run.launched', { run: answer.run_id.slice(0, 8) }));
      state.selected.clear();
      restart();
    } catch (e) {
      toast(e.message, true);
    }
  }

  async function open(key) {
    state.current = key;
    details.dataset.signature = signatureOf(state.assets.get(key));
    const params = new URLSearchParams({ key });
    if (state.group) params.set('group', state.group);
    history.replaceState(null, '', `#/assets?${params}`);
    draw(false);
    await showDetails(key);
  }

  async function showDetails(key) {
    let asset;
    try {
      asset = await api(`/api/ops/asset?key=${encodeURIComponent(key)}`);
    } catch (e) {
      fill(details, h('p', { class: 'error' }, e.message));
      return;
    }
    const link = (other) => h('li', {}, h('button', { type: 'button', class: 'link-button',
      onclick: () => open(other) }, other));
    const last = asset.materializations[0];
    const actions = me.can_operate ? h('p', { class: 'toolbar' },
      h('button', { type: 'button', class: 'primary', id: 'materialize-asset', disabled: !me.can_launch,
        onclick: () => materialize([key]) }, t('lineage.materialize.one')),
      h('button', { type: 'button', disabled: !me.can_launch,
        onclick: () => materialize([key, ...closure(key, 'downstream')]) }, t('lineage.materialize.downstream')),
      h('button', { type: 'button', onclick: () => toggleSelected(key) },
        state.selected.has(key) ? t('lineage.unselect') : t('lineage.select')),
      asset.checks.some((check) => check.kind !== 'dbt_test')
        ? h('button', { type: 'button', onclick: () => runChecks(key) }, t('checks.run')) : null) : null;
    fill(details,
      h('h2', { id: 'asset-title' }, asset.key),
      h('p', {}, badge(asset.status), ' ',
        asset.status_run ? h('a', { href: `#/runs/${asset.status_run}` }, t('lineage.run', { run: asset.status_run.slice(0, 8) })) : null),
      asset.description ? h('p', {}, asset.description) : null,
      h('dl', {},
        h('dt', {}, t('lineage.group')), h('dd', {}, asset.group),
        h('dt', {}, t('lineage.kind')), h('dd', {}, asset.kind || '—'),
        h('dt', {}, t('lineage.step')), h('dd', { class: 'mono' }, asset.step),
        asset.owner ? [h('dt', {}, t('lineage.owner')), h('dd', {}, asset.owner)] : null,
        h('dt', {}, t('lineage.last')), h('dd', { id: 'asset-last' }, last
          ? [formatTime(last.time), last.rows === null ? '' : ` · ${formatNumber(last.rows)} ${t('lineage.rows')}`,
            ` · ${formatDuration(last.duration_ms)}`]
          : t('status.never'))),
      actions,
      h('h3', {}, t('lineage.upstream'), ` (${asset.upstream.length})`),
      asset.upstream.length ? h('ul', { id: 'asset-upstream' }, asset.upstream.map(link)) : h('p', { class: 'hint' }, '—'),
      h('h3', {}, t('lineage.downstream'), ` (${asset.downstream.length})`),
      asset.downstream.length ? h('ul', { id: 'asset-downstream' }, asset.downstream.map(link)) : h('p', { class: 'hint' }, '—'),
      h('h3', {}, t('checks.title'), ` (${asset.checks.length})`),
      asset.checks.length ? h('table', { class: 'data', id: 'asset-checks' },
        h('thead', {}, h('tr', {}, h('th', {}, t('checks.check')), h('th', {}, t('checks.result')))),
        h('tbody', {}, asset.checks.map((check) => h('tr', {},
          h('td', {}, check.name, h('div', { class: 'hint' }, t(`checks.kind.${check.kind}`),
            check.blocking ? ` · ${t('checks.blocking')}` : '')),
          h('td', {}, check.result ? [badge(checkStatus(check.result)), h('div', { class: 'hint' }, check.result.message)]
            : h('span', { class: 'hint' }, t('checks.notrun'))))))) : h('p', { class: 'hint' }, '—'),
      h('h3', {}, t('lineage.history')),
      asset.materializations.length ? h('table', { class: 'data' },
        h('thead', {}, h('tr', {}, h('th', {}, t('lineage.when')), h('th', { class: 'num' }, t('lineage.rows')),
          h('th', {}, t('runs.run')))),
        h('tbody', {}, asset.materializations.map((m) => h('tr', {},
          h('td', {}, formatTime(m.time)), h('td', { class: 'num' }, formatNumber(m.rows)),
          h('td', {}, h('a', { href: `#/runs/${m.run_id}`, class: 'mono' }, m.run_id.slice(0, 8)))))))
        : h('p', { class: 'hint' }, t('status.never')));
  }

  async function runChecks(key) {
    try {
      const answer = await api('/api/ops/asset/checks', { method: 'POST', body: { asset: key } });
      const failed = answer.results.filter((r) => !r.passed).length;
      toast(t('checks.done', { count: answer.results.length, failed }), failed > 0);
      details.dataset.signature = '';
      restart();
    } catch (e) {
      toast(e.message, true);
    }
  }

  async function refresh() {
    const answer = await api('/api/ops/assets');
    state.assets = new Map(answer.assets.map((asset) => [asset.key, { ...asset, downstream: [] }]));
    for (const asset of state.assets.values()) {
      for (const key of asset.upstream) {
        const parent = state.assets.get(key);
        if (parent) parent.downstream.push(asset.key);
      }
    }
    if (groupSelect.options.length === 1) {
      for (const group of answer.groups) groupSelect.append(h('option', { value: group }, group));
      groupSelect.value = state.group;
    }
    draw(false);
    // The details are drawn again only when the asset changed (keyboard focus stays where it is).
    const current = state.assets.get(state.current);
    if (current) {
      const signature = signatureOf(current);
      if (details.dataset.signature !== signature) {
        details.dataset.signature = signature;
        showDetails(current.key);
      }
    }
    return answer.assets.some((asset) => asset.status === 'running');
  }

  // Every 2 s while something runs, else every 10 s.
  let timer = null;
  let stopped = false;
  async function poll() {
    let busy = false;
    try {
      busy = await refresh();
    } catch (e) {
      if (e.status === 401) return;
    }
    if (!stopped) timer = setTimeout(poll, busy ? 2000 : 10000);
  }
  function restart() {
    clearTimeout(timer);
    poll();
  }
  await poll();
  fit();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function clip(text, length) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

function signatureOf(asset) {
  return asset ? JSON.stringify([asset.key, asset.status, asset.last_materialization, asset.checks_passed,
    asset.checks_failed]) : '';
}

function checkStatus(result) {
  if (result.passed) return 'success';
  return result.blocking ? 'check_failed' : 'warning';
}
