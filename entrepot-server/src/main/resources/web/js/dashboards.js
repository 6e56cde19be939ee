// Dashboards: the charts of warehouse/dashboards/*.yml, each one a GraphQL query to /graphql with the user's token
// (so every figure is the semantic API's, within the user's role and territories), drawn with ECharts, with its data
// as a table, and exported as CSV or PNG.
import { t, label, language } from './i18n.js';
import { h, fill, formatNumber, formatPercent, download } from './dom.js';
import { api, graphql } from './session.js';
import { buildQuery, optionsQuery, describeQuery, LEVELS } from './queries.js';

const ECHARTS = '/webjars/echarts/5.3.1/dist/echarts.esm.min.js';
/** Okabe–Ito: told apart by colour-blind readers. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

export async function showDashboards(view) {
  const answer = await api('/api/ui/dashboards');
  fill(view, h('div', { class: 'page' },
    h('h1', {}, t('dash.title')),
    answer.dashboards.length
      ? h('div', { class: 'dash-list', id: 'dashboards' }, answer.dashboards.map((d) => h('a', {
        class: 'panel dash-card', href: `#/dashboards/${d.id}`, 'data-dashboard': d.id },
      h('h2', {}, label(d.title)), d.description ? h('p', { class: 'hint' }, label(d.description)) : null,
      h('p', { class: 'hint' }, t('dash.charts', { count: d.charts })))))
      : h('p', { class: 'empty' }, t('dash.none'))));
}

export async function showDashboard(view, id, query) {
  const dashboard = await api(`/api/ui/dashboards/${encodeURIComponent(id)}`);
  const charts = dashboard.charts;
  const state = {
    level: query.get('level') || '',
    territory: query.get('territory') || '',
    year: query.get('year') || '',
    establishment: query.get('establishment') || '',
  };
  // The cube whose dimension a filter's choices come from: the first chart the filter applies to.
  const source = (filter) => charts.find((chart) => chart.filter_dimensions[filter]);
  const cubes = [...new Set(charts.map((chart) => chart.cube))];
  const metadata = await describe(cubes);
  const me = await api('/api/ui/me');

  const bar = h('form', { class: 'toolbar', id: 'filters', onsubmit: (e) => e.preventDefault() });
  const grid = h('div', { class: 'charts', id: 'charts' });
  fill(view, h('div', { class: 'page' },
    h('p', {}, h('a', { href: '#/dashboards' }, `← ${t('dash.title')}`)),
    h('h1', {}, label(dashboard.title)),
    dashboard.description ? h('p', { class: 'hint' }, label(dashboard.description)) : null,
    bar, grid));

  const echarts = await import(ECHARTS);
  const instances = [];
  const resize = () => instances.forEach((chart) => chart.resize());
  window.addEventListener('resize', resize);

  await drawFilters();
  await drawCharts();

  function setAddress() {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(state)) if (value) params.set(key, value);
    history.replaceState(null, '', `#/dashboards/${id}${params.toString() ? `?${params}` : ''}`);
  }

  async function drawFilters() {
    const controls = [];
    if (dashboard.filters.territory && source('territory')) {
      const chart = source('territory');
      const dimension = chart.filter_dimensions.territory;
      const levels = levelsOf(metadata, chart.cube, dimension);
      const levelSelect = h('select', { id: 'filter-level' }, h('option', { value: '' }, t('dash.territory.all')),
        levels.map((level) => h('option', { value: level }, t(`level.${level}`))));
      levelSelect.value = state.level;
      const codeSelect = h('select', { id: 'filter-territory', disabled: !state.level },
        h('option', { value: '' }, '—'));
      if (state.level) {
        const rows = await values(chart.cube, dimension, state.level);
        fill(codeSelect, h('option', { value: '' }, t('dash.territory.choose')),
          rows.map((row) => h('option', { value: row.code }, `${row.name || row.code} (${row.code})`)));
        codeSelect.value = state.territory;
      }
      levelSelect.addEventListener('change', async () => {
        state.level = levelSelect.value;
        state.territory = '';
        setAddress();
        await drawFilters();
        await drawCharts();
      });
      codeSelect.addEventListener('change', async () => {
        state.territory = codeSelect.value;
        setAddress();
        await drawCharts();
      });
      controls.push(h('label', {}, t('dash.territory.level'), levelSelect),
        h('label', {}, t('dash.territory'), codeSelect));
      if (me.territories && Object.keys(me.territories).length) {
        controls.push(h('span', { class: 'hint', id: 'scope-note' }, t('dash.scope', {
          scope: Object.entries(me.territories).map(([level, codes]) => `${t(`level.${level}`)} ${codes.join(', ')}`)
            .join(' · '),
        })));
      }
    }
    for (const filter of ['year', 'establishment']) {
      if (!dashboard.filters[filter] || !source(filter)) continue;
      const chart = source(filter);
      const dimension = chart.filter_dimensions[filter];
      const select = h('select', { id: `filter-${filter}` }, h('option', { value: '' }, t(`dash.${filter}.all`)));
      const rows = await values(chart.cube, dimension, null);
      rows.sort((a, b) => (filter === 'year' ? String(b.value).localeCompare(String(a.value))
        : String(a.label).localeCompare(String(b.label))));
      rows.forEach((row) => select.append(h('option', { value: row.value }, row.label)));
      select.value = state[filter];
      select.addEventListener('change', async () => {
        state[filter] = select.value;
        setAddress();
        await drawCharts();
      });
      controls.push(h('label', {}, t(`dash.${filter}`), select));
    }
    fill(bar, controls.length ? controls : h('span', { class: 'hint' }, t('dash.nofilters')));
  }

  /** The values a filter offers, as the API gives them to this user (a territorial user gets only theirs). */
  async function values(cube, dimension, level) {
    const info = dimensionInfo(metadata, cube, dimension);
    const { text, variables } = optionsQuery(cube, dimension, level, info);
    const data = await graphql(text, variables);
    const rows = data[cube].rows.map((row) => row[dimension]).filter((v) => v !== null && v !== undefined);
    if (level) return rows.map((territory) => ({ code: territory.code, name: territory.name }));
    return rows.map((value) => ({ value: String(value).slice(0, info && info.type === 'time' ? 4 : undefined),
      label: String(value).slice(0, info && info.type === 'time' ? 4 : undefined) }));
  }

  /** The filters of the page, as semantic filters of one chart's cube. */
  function pageFilters(chart) {
    const filters = [];
    const territoryDimension = chart.filter_dimensions.territory;
    if (territoryDimension && state.level && state.territory) {
      filters.push({ dimension: territoryDimension, level: state.level, operator: 'equals', value: state.territory });
    }
    const yearDimension = chart.filter_dimensions.year;
    let timeRange = null;
    if (yearDimension && state.year) {
      const info = dimensionInfo(metadata, chart.cube, yearDimension);
      if (info && info.type === 'time') {
        timeRange = { dimension: yearDimension, from: `${state.year}-01-01`, to: `${state.year}-12-31` };
      } else {
        filters.push({ dimension: yearDimension, operator: 'equals', value: numeric(info, state.year) });
      }
    }
    const establishmentDimension = chart.filter_dimensions.establishment;
    if (establishmentDimension && state.establishment) {
      const info = dimensionInfo(metadata, chart.cube, establishmentDimension);
      filters.push({ dimension: establishmentDimension, operator: 'equals', value: numeric(info, state.establishment) });
    }
    return { filters, timeRange };
  }

  async function drawCharts() {
    instances.splice(0).forEach((chart) => chart.dispose());
    fill(grid, charts.map((chart) => {
      const figure = h('figure', { class: `chart${chart.wide ? ' wide' : ''}`, id: `chart-${chart.id}`,
        'data-chart': chart.id, 'aria-busy': 'true' });
      drawChart(figure, chart, []);
      return figure;
    }));
  }

  /** Draws one chart; drill is the path clicked so far ([{level, code, name}]). */
  async function drawChart(figure, chart, drill) {
    const { filters, timeRange } = pageFilters(chart);
    let dimensions = chart.dimensions;
    const geo = chart.drill ? chart.dimensions[0] : null;
    if (geo && drill.length) {
      const last = drill[drill.length - 1];
      const next = LEVELS[LEVELS.indexOf(last.level) - 1];
      dimensions = [{ ...geo, level: next }, ...chart.dimensions.slice(1)];
      filters.push({ dimension: geo.dimension, level: last.level, operator: 'equals', value: last.code });
    }
    const { text, variables } = buildQuery({ ...chart, dimensions }, filters, timeRange);
    figure.dataset.query = text;
    figure.dataset.variables = JSON.stringify(variables);
    const title = h('h2', {}, label(chart.title));
    const tableButton = h('button', { type: 'button', 'aria-expanded': 'false', class: 'show-table' }, t('dash.table'));
    const csvButton = h('button', { type: 'button', class: 'export-csv' }, 'CSV');
    const pngButton = h('button', { type: 'button', class: 'export-png', hidden: chart.type === 'table' || chart.type === 'kpi' }, 'PNG');
    const body = h('div', { class: 'chart-body' }, h('p', { class: 'loading' }, t('loading')));
    const crumbs = geo ? h('nav', { class: 'breadcrumb', 'aria-label': t('dash.drill') },
      h('button', { type: 'button', class: 'link-button', disabled: !drill.length,
        onclick: () => drawChart(figure, chart, []) }, t('dash.drill.top')),
      drill.map((step, index) => [' › ', h('button', { type: 'button', class: 'link-button',
        disabled: index === drill.length - 1, onclick: () => drawChart(figure, chart, drill.slice(0, index + 1)) },
      step.name || step.code)])) : null;
    fill(figure,
      h('figcaption', {}, title, h('div', { class: 'actions' }, tableButton, csvButton, pngButton)),
      chart.description ? h('p', { class: 'hint' }, label(chart.description)) : null,
      crumbs, body);
    let rows;
    try {
      const data = await graphql(text, variables);
      rows = data[chart.cube].rows;
    } catch (e) {
      fill(body, h('p', { class: 'error', role: 'alert' }, e.message));
      figure.setAttribute('aria-busy', 'false');
      figure.dataset.state = 'error';
      return;
    }
    const columns = [
      ...dimensions.map((d) => ({ key: d.dimension, label: dimensionLabel(chart.cube, d.dimension), kind: 'dimension',
        level: d.level, grain: d.grain, values: (chart.value_labels || {})[d.dimension] })),
      ...chart.measures.map((m) => ({ key: m, label: measureLabel(chart.cube, m), kind: 'measure',
        format: chart.formats[m] })),
    ];
    // A territory of a drillable chart opens its next level from the table too (keyboard users cannot click bars).
    const canDrill = geo && LEVELS.indexOf(dimensions[0].level) > 0;
    const drillInto = (row) => {
      const territory = row && row[geo.dimension];
      if (territory) {
        drawChart(figure, chart, [...drill, { level: dimensions[0].level, code: territory.code, name: territory.name }]);
      }
    };
    const table = dataTable(chart, columns, rows, canDrill ? drillInto : null);
    const tableBox = h('div', { class: 'chart-table', hidden: chart.type !== 'table' }, table);
    const canvas = chart.type === 'table' ? null : chart.type === 'kpi' ? kpis(chart, columns, rows)
      : h('div', { class: 'canvas', role: 'img', 'aria-label': label(chart.title) });
    fill(body, canvas, tableBox);
    tableButton.hidden = chart.type === 'table';
    tableButton.addEventListener('click', () => {
      tableBox.hidden = !tableBox.hidden;
      tableButton.setAttribute('aria-expanded', String(!tableBox.hidden));
    });
    csvButton.addEventListener('click', () => download(`${dashboard.id}-${chart.id}.csv`, csv(columns, rows),
      'text/csv;charset=utf-8'));
    if (canvas && chart.type !== 'kpi') {
      const instance = echarts.init(canvas, null, { renderer: 'canvas' });
      instances.push(instance);
      instance.setOption(option(chart, columns, rows));
      pngButton.addEventListener('click', () => {
        const url = instance.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
        fetch(url).then((r) => r.blob()).then((blob) => download(`${dashboard.id}-${chart.id}.png`, blob));
      });
      if (canDrill) {
        instance.on('click', (event) => drillInto(rows[event.dataIndex]));
      }
    }
    figure.dataset.level = dimensions[0] ? dimensions[0].level || '' : '';
    figure.dataset.state = 'ready';
    figure.setAttribute('aria-busy', 'false');
  }

  function measureLabel(cube, name) {
    const info = (metadata[cube] || { measures: [] }).measures.find((m) => m.name === name);
    return gloss(info && info.description, name);
  }

  function dimensionLabel(cube, name) {
    const info = dimensionInfo(metadata, cube, name);
    return gloss(info && info.description, name);
  }

  return () => {
    window.removeEventListener('resize', resize);
    instances.forEach((chart) => chart.dispose());
  };
}

/** What the API says of the cubes (measures, dimensions with their kinds and levels), in one query. */
async function describe(cubes) {
  const data = await graphql(describeQuery(cubes), {});
  const result = {};
  cubes.forEach((cube, index) => {
    const info = data[`c${index}`];
    if (info) result[cube] = info;
  });
  return result;
}

function dimensionInfo(metadata, cube, name) {
  return ((metadata[cube] || { dimensions: [] }).dimensions || []).find((d) => d.name === name) || null;
}

function levelsOf(metadata, cube, dimension) {
  const info = dimensionInfo(metadata, cube, dimension);
  const levels = info && info.levels ? info.levels.map((l) => l.toLowerCase()) : LEVELS;
  return [...LEVELS].reverse().filter((level) => levels.includes(level));
}

function numeric(info, value) {
  return info && (info.dataType === 'integer' || info.dataType === 'float') && value !== '' && !Number.isNaN(Number(value))
    ? Number(value) : value;
}

/** "Logements vacants (vacant housings)": the French before the brackets, the English inside. */
function gloss(description, fallback) {
  if (!description) return fallback;
  const match = description.match(/^([^(]+?)\s*\(([^)]+)\)/);
  if (!match) return description;
  return language() === 'fr' ? match[1] : match[2].charAt(0).toUpperCase() + match[2].slice(1);
}

/** A cell's text and its raw value (for the table and the CSV). */
function cell(row, column) {
  const value = row[column.key];
  if (value === null || value === undefined) {
    return { text: column.kind === 'dimension' ? t('dash.null') : '', raw: '' };
  }
  if (typeof value === 'object') {
    return { text: value.name ? `${value.name} (${value.code})` : value.code, raw: value.code };
  }
  if (column.kind === 'measure') {
    return { text: column.format === 'percent' ? formatPercent(value) : formatNumber(value), raw: value };
  }
  if (column.grain) return { text: period(value, column.grain), raw: value };
  const named = column.values && column.values[String(value)];
  return { text: named ? label(named) : String(value), raw: value };
}

/** A time dimension's value (the period's first day) as the period: 2026, 2026-T3 / 2026-Q3, 2026-11, the day. */
function period(value, grain) {
  const text = String(value);
  if (grain === 'year') return text.slice(0, 4);
  if (grain === 'month') return text.slice(0, 7);
  if (grain === 'quarter') return `${text.slice(0, 4)}-${language() === 'fr' ? 'T' : 'Q'}${Math.floor(Number(text.slice(5, 7)) / 3) + 1}`;
  return text.slice(0, 10);
}

/** The chart's rows as a table; with onDrill, each territory is a button that opens its next level. */
function dataTable(chart, columns, rows, onDrill) {
  return h('table', { class: 'data' },
    h('caption', { class: 'visually-hidden' }, label(chart.title)),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.kind === 'measure' ? 'num' : '',
      'data-key': c.key }, c.label)))),
    h('tbody', {}, rows.length ? rows.map((row) => h('tr', {}, columns.map((c, index) => {
      const { text, raw } = cell(row, c);
      const content = onDrill && index === 0 ? h('button', { type: 'button', class: 'link-button drill',
        title: t('dash.drill.into', { name: text }), onclick: () => onDrill(row) }, text) : text;
      return h('td', { class: c.kind === 'measure' ? 'num' : '', 'data-key': c.key, 'data-value': String(raw) },
        content);
    }))) : h('tr', {}, h('td', { colspan: columns.length, class: 'empty' }, t('dash.nodata')))));
}

function csv(columns, rows) {
  const quote = (value) => {
    const text = String(value);
    return /[",\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const header = columns.flatMap((c) => (c.kind === 'dimension' && c.level ? [`${c.key}_code`, `${c.key}_name`] : [c.key]));
  const lines = rows.map((row) => columns.flatMap((c) => {
    const value = row[c.key];
    if (c.kind === 'dimension' && c.level) return [value ? value.code : '', value ? value.name || '' : ''];
    return [value === null || value === undefined ? '' : value];
  }).map(quote).join(','));
  return `\ufeff${[header.map(quote).join(','), ...lines].join('\r\n')}\r\n`;
}

/** Key figures: the measures of the last row, and their change from the row before (month over month). */
function kpis(chart, columns, rows) {
  const measures = columns.filter((c) => c.kind === 'measure');
  const last = rows[rows.length - 1];
  const previous = rows.length > 1 ? rows[rows.length - 2] : null;
  const dimension = columns.find((c) => c.kind === 'dimension');
  return h('div', { class: 'kpis' },
    last ? measures.map((m) => {
      const value = last[m.key];
      const before = previous ? previous[m.key] : null;
      const change = before ? (value - before) / Math.abs(before) : null;
      return h('div', { class: 'kpi', 'data-key': m.key, 'data-value': value === null ? '' : String(value) },
        h('div', { class: 'value' }, cell(last, m).text),
        h('div', { class: 'label' }, m.label),
        dimension ? h('div', { class: 'hint' }, cell(last, dimension).text,
          change === null ? '' : ` · ${change > 0 ? '▲' : change < 0 ? '▼' : '='} ${formatPercent(Math.abs(change))} ${t('dash.vsprevious')}`)
          : null);
    }) : h('p', { class: 'empty' }, t('dash.nodata')));
}

/** The ECharts option of a chart. */
function option(chart, columns, rows) {
  const dimensions = columns.filter((c) => c.kind === 'dimension');
  const measures = columns.filter((c) => c.kind === 'measure');
  const name = (row, column) => cell(row, column).text;
  const percent = (m) => m.format === 'percent';
  const formatter = (m) => (value) => (percent(m) ? formatPercent(value) : formatNumber(value));
  const base = {
    color: PALETTE,
    aria: { enabled: true },
    animation: false,
    tooltip: { trigger: chart.type === 'pie' ? 'item' : 'axis' },
    legend: { show: measures.length > 1 || dimensions.length > 1 || chart.type === 'pie', bottom: 0, type: 'scroll' },
    grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
  };
  if (chart.type === 'pie') {
    const m = measures[0];
    return { ...base, series: [{ type: 'pie', radius: ['35%', '65%'], data: rows.map((row) => ({
      name: name(row, dimensions[0]), value: row[m.key] })), label: { formatter: '{b}: {d} %' },
    tooltip: { valueFormatter: formatter(m) } }] };
  }
  const categories = [...new Set(rows.map((row) => name(row, dimensions[0])))];
  let series;
  if (dimensions.length > 1) {
    // One series per value of the second dimension.
    const m = measures[0];
    const groups = [...new Set(rows.map((row) => name(row, dimensions[1])))];
    series = groups.map((group) => ({
      name: group, type: chart.type === 'line' ? 'line' : 'bar', stack: chart.type === 'line' ? undefined : 'total',
      barMaxWidth: 48,
      tooltip: { valueFormatter: formatter(m) },
      data: categories.map((category) => {
        const row = rows.find((r) => name(r, dimensions[0]) === category && name(r, dimensions[1]) === group);
        return row ? row[m.key] : null;
      }),
    }));
  } else {
    series = measures.map((m) => ({ name: m.label, type: chart.type === 'line' ? 'line' : 'bar', barMaxWidth: 48,
      tooltip: { valueFormatter: formatter(m) }, data: rows.map((row) => row[m.key]) }));
  }
  const valueAxis = { type: 'value', axisLabel: { formatter: formatter(measures[0]) } };
  // Periods may skip labels; categories (statuses, kinds) all show, slanted when many.
  const periods = Boolean(dimensions[0].grain) || /year/.test(dimensions[0].key);
  const categoryAxis = { type: 'category', data: categories, axisLabel: periods || chart.type === 'ranking'
    ? { hideOverlap: true } : { interval: 0, rotate: categories.length > 4 ? 30 : 0,
      width: categories.length > 4 ? 140 : 260, overflow: 'truncate' } };
  if (chart.type === 'ranking') {
    return { ...base, xAxis: valueAxis, yAxis: { ...categoryAxis, inverse: true }, series };
  }
  return { ...base, xAxis: categoryAxis, yAxis: valueAxis, series };
}

export { PALETTE };
