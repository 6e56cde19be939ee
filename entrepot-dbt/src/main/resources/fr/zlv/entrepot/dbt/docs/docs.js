/*
 * The documentation site of a dbt project, written by Entrepôt's `dbt docs generate`.
 * It reads window.ENTREPOT_DOCS (docs-data.js: the manifest's nodes and sources, the catalog, the declared tests)
 * and renders the resource list, one page per resource and the lineage graph. Plain JavaScript, no library, no
 * network: the page works from the file system as well as from `dbt docs serve`.
 *
 * Pages are addressed by the hash, so they can be linked: #!/overview, #!/model/model.shop.orders,
 * #!/source/source.shop.raw.events...
 */
(function () {
  'use strict';

  const DATA = window.ENTREPOT_DOCS;
  const main = document.getElementById('main');
  const nodeList = document.getElementById('node-list');
  const search = document.getElementById('search');
  const searchSummary = document.getElementById('search-summary');

  /** The sidebar's groups, in order. */
  const GROUPS = [
    { type: 'model', label: 'Models' },
    { type: 'source', label: 'Sources' },
    { type: 'seed', label: 'Seeds' },
    { type: 'snapshot', label: 'Snapshots' },
    { type: 'analysis', label: 'Analyses' },
    { type: 'test', label: 'Tests' },
  ];
  const LISTED_TYPES = new Set(GROUPS.map(group => group.type));
  /** What the lineage graph draws: tests would hide the data's flow. */
  const GRAPH_TYPES = new Set(['model', 'source', 'seed', 'snapshot', 'analysis']);
  /** Resources with a relation in the warehouse, hence an entry in the catalog once built. */
  const RELATION_TYPES = new Set(['model', 'seed', 'snapshot', 'source']);

  // ================================================================== small DOM helpers

  /** h('a', {class: 'x', href: '#'}, 'text', child...): an element; null and false children are skipped. */
  function h(tag, attributes, ...children) {
    const element = document.createElement(tag);
    setAttributes(element, attributes);
    appendChildren(element, children);
    return element;
  }

  /** The same for SVG elements. */
  function s(tag, attributes, ...children) {
    const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
    setAttributes(element, attributes);
    appendChildren(element, children);
    return element;
  }

  function setAttributes(element, attributes) {
    for (const [key, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) {
        continue;
      }
      if (key.startsWith('on')) {
        element.addEventListener(key.slice(2), value);
      } else if (key === 'html') {
        element.innerHTML = value; // only for HTML this file builds from escaped text
      } else {
        element.setAttribute(key, value === true ? '' : String(value));
      }
    }
  }

  function appendChildren(element, children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) {
        continue;
      }
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  }

  function href(resource) {
    return '#!/' + resource.type + '/' + encodeURIComponent(resource.id);
  }

  function typeBadge(type) {
    return h('span', { class: 'type-badge type-' + type }, type);
  }

  function formatNumber(value) {
    return typeof value === 'number' ? new Intl.NumberFormat().format(value) : String(value);
  }

  // ================================================================== the project, indexed

  const resources = new Map(); // unique id -> resource
  const byType = new Map(); // type -> resources sorted by label

  function hidden(json) {
    return (json.docs && json.docs.show === false) || (json.config && json.config.docs && json.config.docs.show === false);
  }

  function addResource(id, type, json, label, catalogEntry) {
    if (hidden(json)) {
      return;
    }
    resources.set(id, { id, type, json, name: json.name, label, catalog: catalogEntry || null });
  }

  if (DATA) {
    for (const [id, json] of Object.entries(DATA.nodes || {})) {
      if (LISTED_TYPES.has(json.resource_type)) {
        addResource(id, json.resource_type, json, json.name, (DATA.catalog.nodes || {})[id]);
      }
    }
    for (const [id, json] of Object.entries(DATA.sources || {})) {
      addResource(id, 'source', json, json.source_name + '.' + json.name, (DATA.catalog.sources || {})[id]);
    }
  }
  for (const resource of resources.values()) {
    if (!byType.has(resource.type)) {
      byType.set(resource.type, []);
    }
    byType.get(resource.type).push(resource);
  }
  byType.forEach(list => list.sort((a, b) => a.label.localeCompare(b.label)));

  // ------------------------------------------------------------------ tests on each resource and column

  const testsByResource = new Map(); // resource id -> test resources
  const testsByColumn = new Map(); // resource id -> Map(lower-case column -> [{name, resource}])

  /** The model, seed, snapshot or source a test checks. */
  function testTarget(test) {
    if (test.json.attached_node) {
      return test.json.attached_node;
    }
    const parents = ((test.json.depends_on || {}).nodes || []);
    return parents.length === 1 ? parents[0] : null;
  }

  function testColumn(test) {
    const metadata = test.json.test_metadata || {};
    return test.json.column_name || (metadata.kwargs || {}).column_name || null;
  }

  function testLabel(test) {
    return (test.json.test_metadata || {}).name || test.name;
  }

  function columnTests(resourceId) {
    if (!testsByColumn.has(resourceId)) {
      testsByColumn.set(resourceId, new Map());
    }
    return testsByColumn.get(resourceId);
  }

  // In the manifest's order (the properties files' order), not by name.
  for (const test of [...resources.values()].filter(resource => resource.type === 'test')) {
    const target = testTarget(test);
    if (!target) {
      continue;
    }
    if (!testsByResource.has(target)) {
      testsByResource.set(target, []);
    }
    testsByResource.get(target).push(test);
    const column = testColumn(test);
    if (column) {
      const tests = columnTests(target);
      const key = column.toLowerCase();
      tests.set(key, (tests.get(key) || []).concat([{ name: testLabel(test), resource: test }]));
    }
  }
  // Tests the properties files declare but the manifest has no node for (yet): shown by name, without a page.
  for (const [id, columns] of Object.entries((DATA && DATA.declared_tests) || {})) {
    for (const [column, names] of Object.entries(columns)) {
      const tests = columnTests(id);
      const key = column.toLowerCase();
      if (!tests.has(key)) {
        tests.set(key, names.map(name => ({ name, resource: null })));
      }
    }
  }

  // ------------------------------------------------------------------ columns: the warehouse's, described by the manifest

  /** The columns: the catalog's (real types and order), then the documented ones the warehouse lacks. */
  function columnsOf(resource) {
    const documented = new Map();
    for (const column of Object.values(resource.json.columns || {})) {
      documented.set(column.name.toLowerCase(), column);
    }
    const tests = testsByColumn.get(resource.id) || new Map();
    const rows = [];
    const seen = new Set();
    if (resource.catalog) {
      const inWarehouse = Object.values(resource.catalog.columns).sort((a, b) => a.index - b.index);
      for (const column of inWarehouse) {
        const key = column.name.toLowerCase();
        const doc = documented.get(key);
        seen.add(key);
        rows.push({
          name: column.name, type: column.type, index: column.index,
          description: doc && doc.description ? doc.description : (column.comment || ''),
          tests: tests.get(key) || [], inWarehouse: true,
        });
      }
    }
    for (const [key, column] of documented) {
      if (!seen.has(key)) {
        rows.push({
          name: column.name, type: column.data_type || '', index: null, description: column.description || '',
          tests: tests.get(key) || [], inWarehouse: resource.catalog ? false : null,
        });
      }
    }
    return rows;
  }

  // ------------------------------------------------------------------ the graph's edges

  function graphParents(id) {
    return ((DATA.parent_map || {})[id] || []).filter(other => resources.has(other) && GRAPH_TYPES.has(resources.get(other).type));
  }

  function graphChildren(id) {
    return ((DATA.child_map || {})[id] || []).filter(other => resources.has(other) && GRAPH_TYPES.has(resources.get(other).type));
  }

  /** Every resource reachable from `id` through `next` (not `id` itself). */
  function reachable(id, next) {
    const found = new Set();
    const stack = [id];
    while (stack.length) {
      for (const other of next(stack.pop())) {
        if (!found.has(other) && other !== id) {
          found.add(other);
          stack.push(other);
        }
      }
    }
    return found;
  }

  // ================================================================== search

  /** What the search looks into, lower-cased once. */
  function searchFields(resource) {
    if (!resource.fields) {
      const json = resource.json;
      const columns = new Set(Object.values(json.columns || {}).map(column => column.name));
      if (resource.catalog) {
        Object.values(resource.catalog.columns).forEach(column => columns.add(column.name));
      }
      resource.fields = {
        name: resource.label.toLowerCase(),
        description: ((json.description || '') + ' ' + (json.source_description || '')).toLowerCase(),
        columns: [...columns].map(name => ({ name, lower: name.toLowerCase() })),
        tags: (json.tags || []).map(tag => tag.toLowerCase()),
        path: (json.original_file_path || '').toLowerCase(),
      };
    }
    return resource.fields;
  }

  /**
   * Whether a resource matches every word of the query, with a score (name matches first) and a hint saying
   * where the match is when it is not the name. Null when it does not match.
   */
  function match(resource, words) {
    const fields = searchFields(resource);
    let score = 0;
    let hint = null;
    for (const word of words) {
      if (fields.name === word) {
        score += 100;
      } else if (fields.name.startsWith(word)) {
        score += 50;
      } else if (fields.name.includes(word)) {
        score += 30;
      } else {
        const column = fields.columns.find(c => c.lower.includes(word));
        if (column) {
          score += column.lower === word ? 12 : 8;
          hint = hint || 'column: ' + column.name;
        } else if (fields.tags.some(tag => tag.includes(word))) {
          score += 5;
          hint = hint || 'tag: ' + fields.tags.find(tag => tag.includes(word));
        } else if (fields.description.includes(word)) {
          score += 3;
          hint = hint || 'in description';
        } else if (fields.path.includes(word)) {
          score += 1;
          hint = hint || fields.path;
        } else {
          return null;
        }
      }
    }
    return { score, hint };
  }

  /** The list's hint when not searching: where the resource is. */
  function defaultHint(resource) {
    const json = resource.json;
    if (resource.type === 'test') {
      const target = resources.get(testTarget(resource));
      return target ? target.label : '';
    }
    const folder = (json.path || '').split('/').slice(0, -1).join('/');
    const project = DATA.metadata.project_name;
    const pkg = json.package_name && json.package_name !== project ? json.package_name : '';
    return [pkg, resource.type === 'source' ? '' : folder].filter(Boolean).join(' · ');
  }

  /** The name with the query's words marked. */
  function markedName(label, words) {
    const lower = label.toLowerCase();
    const marks = new Array(label.length).fill(false);
    for (const word of words) {
      const at = lower.indexOf(word);
      if (at >= 0) {
        marks.fill(true, at, at + word.length);
      }
    }
    const parts = [];
    let start = 0;
    for (let i = 1; i <= label.length; i++) {
      if (i === label.length || marks[i] !== marks[start]) {
        const text = label.slice(start, i);
        parts.push(marks[start] ? h('mark', null, text) : text);
        start = i;
      }
    }
    return parts;
  }

  const folding = new Map(); // group type -> folded, as the user last chose
  const LARGE_GROUP = 60; // past this, a group is split by folder (and the tests group starts folded)

  /** Where a resource sits in the list of a large group: its folder (its source, for a source). */
  function folderOf(resource) {
    const json = resource.json;
    const folder = resource.type === 'source' ? json.source_name : (json.path || '').split('/').slice(0, -1).join('/');
    const pkg = json.package_name !== DATA.metadata.project_name ? json.package_name : '';
    return [pkg, folder].filter(Boolean).join(' / ') || '(top level)';
  }

  function listItem(resource, words, hint) {
    // A search result says where it matched on a line of its own; otherwise the hint (folder) sits on the right.
    const className = 'node-list-item' + (words.length && hint ? ' with-match' : '');
    return h('li', null,
      h('a', { class: className, href: href(resource), 'data-id': resource.id, title: resource.id },
        h('span', { class: 'item-name' }, words.length ? markedName(resource.label, words) : resource.label),
        h('span', { class: 'item-hint' }, hint)));
  }

  function renderList() {
    const query = search.value.trim().toLowerCase();
    const words = query.split(/\s+/).filter(Boolean);
    nodeList.replaceChildren();
    let total = 0;
    for (const group of GROUPS) {
      const all = byType.get(group.type) || [];
      const entries = all.map(resource => ({ resource, found: words.length ? match(resource, words) : { score: 0, hint: null } }))
        .filter(entry => entry.found);
      if (!entries.length) {
        continue;
      }
      if (words.length) {
        entries.sort((a, b) => b.found.score - a.found.score || a.resource.label.localeCompare(b.resource.label));
      }
      total += entries.length;
      const large = !words.length && all.length > LARGE_GROUP;
      let body;
      if (large && group.type !== 'test') {
        // A large group, by folder: each folder folded but the one of the page shown (see markActive).
        const folders = new Map();
        for (const { resource } of entries) {
          const folder = folderOf(resource);
          folders.set(folder, (folders.get(folder) || []).concat([resource]));
        }
        body = [...folders.keys()].sort().map(folder => h('details', { class: 'folder' },
          h('summary', null, h('span', { class: 'folder-name' }, folder), h('span', { class: 'count' }, folders.get(folder).length)),
          h('ul', null, folders.get(folder).map(resource => listItem(resource, words, '')))));
      } else {
        body = h('ul', null, entries.map(({ resource, found }) => listItem(resource, words, found.hint || defaultHint(resource))));
      }
      // Searching unfolds every group; otherwise the user's choice, or folded for many tests.
      const folded = !words.length && (folding.has(group.type) ? folding.get(group.type) : large && group.type === 'test');
      const section = h('section', { class: 'node-group' + (folded ? ' collapsed' : ''), 'data-type': group.type },
        h('h3', { onclick: () => folding.set(group.type, section.classList.toggle('collapsed')) }, group.label,
          h('span', { class: 'count' }, words.length ? entries.length + ' / ' + all.length : all.length)),
        body);
      nodeList.append(section);
    }
    searchSummary.textContent = words.length
      ? (total ? total + (total === 1 ? ' result' : ' results') : 'Nothing matches') + ' for “' + search.value.trim() + '”'
      : '';
    markActive();
  }

  /** Marks the page's resource in the list, unfolding its folder and scrolling it into view. */
  function markActive() {
    const route = parseRoute();
    for (const item of nodeList.querySelectorAll('.node-list-item')) {
      const active = item.dataset.id === route.id;
      item.classList.toggle('active', active);
      if (active) {
        const folder = item.closest('details');
        if (folder) {
          folder.open = true;
        }
        item.scrollIntoView({ block: 'nearest' });
      }
    }
  }

  // ================================================================== text: markdown and SQL

  /** A small, safe markdown: paragraphs, lists, headings, code blocks, `code`, **bold**, *italic*, [links](url). */
  function markdown(text) {
    const lines = String(text || '').replace(/\r\n?/g, '\n').split('\n');
    const out = [];
    let paragraph = [];
    let list = null;
    const flushParagraph = () => {
      if (paragraph.length) {
        out.push('<p>' + inline(paragraph.join(' ')) + '</p>');
        paragraph = [];
      }
    };
    const flushList = () => {
      if (list) {
        out.push('<ul>' + list.map(item => '<li>' + inline(item) + '</li>').join('') + '</ul>');
        list = null;
      }
    };
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      const trimmed = line.trim();
      if (trimmed.startsWith('```')) {
        flushParagraph();
        flushList();
        const code = [];
        for (i++; i < lines.length && !lines[i].trim().startsWith('```'); i++) {
          code.push(lines[i]);
        }
        out.push('<pre><code>' + escapeHtml(code.join('\n')) + '</code></pre>');
      } else if (/^[-*+]\s+/.test(trimmed)) {
        flushParagraph();
        list = list || [];
        list.push(trimmed.replace(/^[-*+]\s+/, ''));
      } else if (/^#{1,6}\s/.test(trimmed)) {
        flushParagraph();
        flushList();
        const level = Math.min(6, trimmed.match(/^#+/)[0].length + 2);
        out.push('<h' + level + '>' + inline(trimmed.replace(/^#+\s*/, '')) + '</h' + level + '>');
      } else if (!trimmed) {
        flushParagraph();
        flushList();
      } else if (list) {
        list[list.length - 1] += ' ' + trimmed;
      } else {
        paragraph.push(trimmed);
      }
    }
    flushParagraph();
    flushList();
    return out.join('');
  }

  function inline(text) {
    const codes = [];
    let html = escapeHtml(text).replace(/`([^`]+)`/g, (_, code) => {
      codes.push('<code>' + code + '</code>');
      return '\u0000' + (codes.length - 1) + '\u0000';
    });
    html = html
      .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
      .replace(/(^|[^*\w])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>')
      .replace(/(^|\W)_([^_\s][^_]*)_(?=\W|$)/g, '$1<em>$2</em>')
      .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole, label, url) =>
        /^(https?:|mailto:|#|\.?\/)/i.test(url) ? '<a href="' + url + '">' + label + '</a>' : whole);
    return html.replace(/\u0000(\d+)\u0000/g, (_, index) => codes[Number(index)]);
  }

  const SQL_KEYWORDS = new Set(('select from where and or not in is null as on join left right inner outer full cross '
    + 'group by order having limit offset union all distinct case when then else end with insert into update delete '
    + 'create table view replace values set cast coalesce over partition using exists between like ilike qualify '
    + 'filter window asc desc true false interval date timestamp rows range preceding following current row lateral '
    + 'intersect except natural if').split(' '));

  /** SQL (with its Jinja) as HTML: keywords, strings, numbers, comments and Jinja tags in their own spans. */
  function highlightSql(sql) {
    const token = /(\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\})|(--[^\n]*|\/\*[\s\S]*?\*\/)|('(?:[^']|'')*')|\b(\d+(?:\.\d+)?)\b|\b([A-Za-z_][A-Za-z0-9_]*)\b/g;
    let html = '';
    let last = 0;
    let found;
    while ((found = token.exec(sql)) !== null) {
      html += escapeHtml(sql.slice(last, found.index));
      const text = escapeHtml(found[0]);
      if (found[1]) {
        html += '<span class="jinja">' + text + '</span>';
      } else if (found[2]) {
        html += '<span class="com">' + text + '</span>';
      } else if (found[3]) {
        html += '<span class="str">' + text + '</span>';
      } else if (found[4]) {
        html += '<span class="num">' + text + '</span>';
      } else if (SQL_KEYWORDS.has(found[5].toLowerCase())) {
        html += '<span class="kw">' + text + '</span>';
      } else {
        html += text;
      }
      last = token.lastIndex;
    }
    return html + escapeHtml(sql.slice(last));
  }

  // ================================================================== routing

  function parseRoute() {
    const found = /^#!\/([a-z]+)(?:\/(.+))?$/.exec(location.hash);
    if (!found) {
      return { page: 'overview', id: null };
    }
    let id = null;
    if (found[2]) {
      try {
        id = decodeURIComponent(found[2]);
      } catch (e) {
        id = found[2];
      }
    }
    return { page: found[1], id };
  }

  function route() {
    if (!DATA) {
      main.replaceChildren(h('div', { class: 'empty' },
        h('h1', null, 'No documentation data'),
        h('p', null, 'docs-data.js is missing next to this page: run ', h('code', null, 'entrepot dbt docs generate'), '.')));
      return;
    }
    const where = parseRoute();
    const resource = where.id ? resources.get(where.id) : null;
    if (resource) {
      renderResource(resource);
    } else if (where.page === 'overview' || !where.id) {
      renderOverview();
    } else {
      main.replaceChildren(h('div', { class: 'empty' }, h('h1', null, 'Not found'),
        h('p', null, 'This project has no ', where.page, ' ', h('code', null, where.id), '. '),
        h('p', null, h('a', { href: '#!/overview' }, 'Back to the overview'))));
      document.title = 'Not found · ' + projectName();
    }
    main.scrollTop = 0;
    markActive();
  }

  function projectName() {
    return (DATA && DATA.metadata && DATA.metadata.project_name) || 'dbt project';
  }

  // ================================================================== pages

  function card(title, id, ...children) {
    return h('section', { class: 'card', id }, title ? h('h2', null, title) : null, children);
  }

  function description(json, id) {
    const text = json.description || '';
    return text.trim()
      ? h('div', { class: 'markdown', id, html: markdown(text) })
      : h('div', { class: 'no-description', id }, 'No description yet: add one in the properties file (description:).');
  }

  function detail(term, ...value) {
    const filled = value.flat().filter(part => part !== null && part !== undefined && part !== '');
    return filled.length ? h('div', null, h('dt', null, term), h('dd', null, filled)) : null;
  }

  function tags(list) {
    return (list || []).map(tag => h('span', { class: 'tag' }, tag));
  }

  function resourceLink(id) {
    const resource = resources.get(id);
    if (!resource) {
      return h('li', null, h('code', null, id));
    }
    return h('li', null, typeBadge(resource.type), h('a', { href: href(resource), 'data-id': id }, resource.label));
  }

  function renderResource(resource) {
    const json = resource.json;
    document.title = resource.label + ' · ' + projectName();
    const page = [header(resource)];
    if (resource.type === 'test') {
      page.push(testDetails(resource));
    } else {
      page.push(card('Description', 'section-description', description(json, 'node-description'),
        json.source_description && resource.type === 'source'
          ? h('p', { class: 'muted' }, h('strong', null, 'Source ' + json.source_name + ': '), json.source_description) : null));
      page.push(details(resource));
      if (resource.type !== 'analysis') {
        page.push(columnsCard(resource));
      }
    }
    page.push(referencesCard(resource));
    let lineage = null;
    if (GRAPH_TYPES.has(resource.type)) {
      lineage = lineageCard(resource.id);
      page.push(lineage.card);
    }
    const code = codeCard(json);
    if (code) {
      page.push(code);
    }
    main.replaceChildren(...page);
    if (lineage) {
      lineage.draw(); // once in the page: the graph fits the width it gets
    }
  }

  function header(resource) {
    const json = resource.json;
    const crumbs = [json.package_name];
    if (resource.type === 'source') {
      crumbs.push(json.source_name);
    } else if (json.path) {
      crumbs.push(...json.path.split('/').slice(0, -1));
    }
    return h('div', { class: 'page-header' },
      h('div', { class: 'crumbs' }, crumbs.filter(Boolean).join(' › ')),
      h('h1', { id: 'node-title' }, typeBadge(resource.type), h('span', { class: 'title-name' }, resource.label)),
      json.relation_name ? h('div', { class: 'relation-line' }, h('code', { id: 'relation-name' }, json.relation_name),
        copyButton(() => json.relation_name, 'Copy')) : null);
  }

  function copyButton(text, label) {
    return h('button', {
      class: 'copy', type: 'button', title: 'Copy to the clipboard',
      onclick: event => {
        const button = event.currentTarget;
        const done = () => {
          button.textContent = 'Copied';
          setTimeout(() => { button.textContent = label; }, 1200);
        };
        if (navigator.clipboard) {
          navigator.clipboard.writeText(text()).then(done, () => {});
        }
      },
    }, label);
  }

  function details(resource) {
    const json = resource.json;
    const config = json.config || {};
    const catalog = resource.catalog;
    const meta = Object.assign({}, json.meta || {}, config.meta || {});
    const owner = meta.owner || (catalog && catalog.metadata.owner) || null;
    const rowCount = catalog && catalog.stats.row_count ? catalog.stats.row_count.value : null;
    const extraMeta = Object.entries(meta).filter(([key]) => key !== 'owner')
      .map(([key, value]) => h('div', null, h('code', null, key), ': ', typeof value === 'object' ? JSON.stringify(value) : String(value)));
    const items = [];
    if (resource.type === 'source') {
      items.push(detail('Source', json.source_name), detail('Table', json.identifier),
        detail('Loader', json.loader), detail('Loaded at field', json.loaded_at_field ? h('code', null, json.loaded_at_field) : null),
        detail('Freshness', json.freshness ? freshnessText(json.freshness) : null));
    } else {
      items.push(detail('Materialization', config.materialized),
        detail('Unique key', config.unique_key ? [].concat(config.unique_key).join(', ') : null),
        detail('Strategy', config.incremental_strategy || config.strategy || null));
    }
    items.push(
      detail('Database', json.database),
      detail('Schema', json.schema),
      resource.type !== 'source' && json.alias && json.alias !== json.name ? detail('Alias', json.alias) : null,
      detail('In the warehouse', catalog ? (catalog.metadata.type === 'VIEW' ? 'view' : 'table') : null),
      detail('Rows', rowCount !== null ? formatNumber(rowCount) : null),
      detail('Owner', owner),
      detail('Tags', tags(json.tags)),
      detail('Package', json.package_name),
      detail('File', json.original_file_path ? h('code', null, json.original_file_path) : null),
      detail('Meta', extraMeta));
    const notice = notBuiltNotice(resource);
    return card('Details', 'section-details', notice, h('dl', { class: 'details', id: 'node-details' }, items));
  }

  function freshnessText(freshness) {
    const parts = [];
    for (const level of ['warn_after', 'error_after']) {
      const rule = freshness[level];
      if (rule && rule.count) {
        parts.push(level.replace('_', ' ') + ' ' + rule.count + ' ' + rule.period + (rule.count > 1 ? 's' : ''));
      }
    }
    return parts.join(', ') || null;
  }

  function notBuiltNotice(resource) {
    if (resource.catalog || !RELATION_TYPES.has(resource.type)) {
      return null;
    }
    if (resource.type === 'model' && (resource.json.config || {}).materialized === 'ephemeral') {
      return h('p', { class: 'notice' }, 'Ephemeral: this model is no relation of its own; the models using it inline its SQL.');
    }
    if (resource.type === 'source') {
      return h('p', { class: 'notice warning' }, 'This table was not found in the warehouse when the docs were generated.');
    }
    return h('p', { class: 'notice warning' }, 'Not built yet: no relation in the warehouse when the docs were generated ',
      '(', h('code', null, 'entrepot dbt build -s ' + resource.name), ' builds it). The column types come from the warehouse.');
  }

  function columnsCard(resource) {
    const columns = columnsOf(resource);
    const body = columns.length
      ? h('table', { class: 'data', id: 'columns-table' },
        h('thead', null, h('tr', null, h('th', null, '#'), h('th', null, 'Column'), h('th', null, 'Type'),
          h('th', null, 'Description'), h('th', null, 'Tests'))),
        h('tbody', null, columns.map(column => h('tr', {
          class: 'column-row' + (column.inWarehouse === false ? ' not-in-warehouse' : ''), 'data-column': column.name,
          title: column.inWarehouse === false ? 'Documented, but not in the warehouse\'s relation' : null,
        },
        h('td', { class: 'column-index' }, column.index === null ? '' : column.index),
        h('td', { class: 'column-name' }, column.name),
        h('td', { class: 'column-type' }, column.type),
        h('td', { class: 'column-description markdown', html: column.description ? markdown(column.description) : '' }),
        h('td', { class: 'column-tests' }, column.tests.map(test => test.resource
          ? h('a', { class: 'test-badge', href: href(test.resource), title: test.resource.label }, test.name)
          : h('span', { class: 'test-badge', title: 'Declared in the properties file' }, test.name)))))))
      : h('p', { class: 'no-description' }, resource.catalog
        ? 'The warehouse\'s relation has no columns.'
        : 'No columns documented, and the relation is not in the warehouse.');
    const documented = columns.filter(column => column.description).length;
    const title = h('span', null, 'Columns', columns.length
      ? h('span', { class: 'sub' }, columns.length + ' · ' + documented + ' described') : null);
    return card(title, 'section-columns', body);
  }

  function referencesCard(resource) {
    const parents = ((resource.json.depends_on || {}).nodes || (DATA.parent_map || {})[resource.id] || []);
    const children = ((DATA.child_map || {})[resource.id] || []).filter(id => !(resources.get(id) && resources.get(id).type === 'test'));
    const tests = testsByResource.get(resource.id) || [];
    const list = (id, ids, empty) => ids.length ? h('ul', { class: 'link-list', id }, ids.map(resourceLink))
      : h('p', { class: 'no-description', id }, empty);
    const dependsOn = h('div', null, h('h2', null, 'Depends on'), list('depends-on', parents, 'Nothing: this is where data comes in.'));
    if (resource.type === 'test') {
      return card(null, 'section-references', h('div', { class: 'two-columns' }, dependsOn));
    }
    return card(null, 'section-references', h('div', { class: 'two-columns' }, dependsOn,
      h('div', null, h('h2', null, 'Referenced by'), list('referenced-by', children, 'Nothing uses it yet.'),
        tests.length ? [h('h2', { class: 'tests-title' }, 'Tests'), h('ul', { class: 'link-list', id: 'tests' },
          tests.map(test => h('li', null, typeBadge('test'), h('a', { href: href(test) }, test.label),
            testColumn(test) ? h('span', { class: 'muted' }, ' on ', h('code', null, testColumn(test))) : null)))] : null)));
  }

  function testDetails(test) {
    const json = test.json;
    const metadata = json.test_metadata || {};
    const target = resources.get(testTarget(test));
    const kwargs = Object.entries(metadata.kwargs || {}).filter(([key]) => key !== 'column_name' && key !== 'model')
      .map(([key, value]) => h('div', null, h('code', null, key), ': ', typeof value === 'string' ? value : JSON.stringify(value)));
    return card('Test', 'section-details',
      json.description ? description(json, 'node-description') : null,
      h('dl', { class: 'details', id: 'node-details' },
        detail('Test', metadata.name ? (metadata.namespace ? metadata.namespace + '.' : '') + metadata.name : 'singular test'),
        detail('On', target ? h('a', { href: href(target) }, target.label) : null),
        detail('Column', testColumn(test) ? h('code', null, testColumn(test)) : null),
        detail('Arguments', kwargs),
        detail('Severity', (json.config || {}).severity),
        detail('Tags', tags(json.tags)),
        detail('File', json.original_file_path ? h('code', null, json.original_file_path) : null)));
  }

  function codeCard(json) {
    const compiled = json.compiled_code;
    const raw = json.raw_code;
    if (!compiled && !raw) {
      return null;
    }
    const blocks = [];
    if (compiled) {
      blocks.push({ key: 'compiled', label: 'Compiled SQL', id: 'compiled-sql', text: compiled });
    }
    if (raw) {
      blocks.push({ key: 'raw', label: 'Source', id: 'raw-sql', text: raw });
    }
    let selected = blocks[0];
    const pres = blocks.map(block => h('pre', { class: 'sql', id: block.id, hidden: block !== selected, html: highlightSql(block.text) }));
    const buttons = blocks.map(block => h('button', {
      type: 'button', class: block === selected ? 'selected' : null, 'data-tab': block.key,
      onclick: () => {
        selected = block;
        buttons.forEach((button, i) => button.classList.toggle('selected', blocks[i] === block));
        pres.forEach((pre, i) => { pre.hidden = blocks[i] !== block; });
      },
    }, block.label));
    return card('Code', 'section-code', h('div', { class: 'tabs' }, buttons, copyButton(() => selected.text, 'Copy')), pres);
  }

  function renderOverview() {
    document.title = projectName() + ' · dbt docs';
    const counts = GROUPS.map(group => ({ group, count: (byType.get(group.type) || []).length })).filter(entry => entry.count);
    const models = byType.get('model') || [];
    const described = models.filter(model => (model.json.description || '').trim()).length;
    let columnCount = 0;
    let columnsDescribed = 0;
    models.forEach(model => columnsOf(model).forEach(column => {
      columnCount++;
      if (column.description) {
        columnsDescribed++;
      }
    }));
    const relations = [...resources.values()].filter(r => RELATION_TYPES.has(r.type) && !(r.type === 'model' && (r.json.config || {}).materialized === 'ephemeral'));
    const inWarehouse = relations.filter(r => r.catalog).length;
    const errors = DATA.catalog.errors || [];
    const metadata = DATA.metadata || {};
    const lineage = lineageCard(null);
    main.replaceChildren(
      h('div', { class: 'page-header' },
        h('div', { class: 'crumbs' }, 'dbt project'),
        h('h1', { id: 'node-title' }, projectName())),
      card('Overview', 'section-overview',
        h('div', { class: 'stats' }, counts.map(({ group, count }) => h('div', { class: 'stat', 'data-type': group.type },
          h('div', { class: 'value' }, count), h('div', { class: 'label' }, group.label)))),
        h('dl', { class: 'details', style: 'margin-top:16px' },
          detail('Models described', described + ' of ' + models.length),
          detail('Model columns described', columnsDescribed + ' of ' + columnCount),
          detail('Relations in the warehouse', inWarehouse + ' of ' + relations.length),
          detail('Generated', metadata.generated_at ? new Date(metadata.generated_at).toLocaleString() : null),
          detail('Adapter', metadata.adapter_type),
          detail('dbt version', metadata.dbt_version)),
        errors.map(error => h('p', { class: 'notice warning' }, error))),
      lineage.card);
    lineage.draw();
  }

  // ================================================================== the lineage graph

  const CHARACTER_WIDTH = 7; // of the 12px labels, near enough
  const NODE_HEIGHT = 38;
  const LAYER_GAP = 46;
  const ROW_GAP = 14;
  const WAYPOINT_HEIGHT = 6;

  /**
   * A card with the lineage graph: of one resource (its upstream and downstream; or the whole project with them
   * highlighted), or of the whole project when focus is null. draw() once the card is in the page.
   */
  function lineageCard(focus) {
    const container = h('div', { id: 'lineage' });
    let mode = 'focus';
    let view = null;
    const draw = () => {
      view = drawLineage(container, focus, focus && mode === 'focus' ? 'focus' : 'all');
    };
    const modeButtons = focus ? [
      h('button', { type: 'button', class: 'selected', 'data-mode': 'focus', title: 'Only what it depends on and what depends on it' }, 'Upstream & downstream'),
      h('button', { type: 'button', 'data-mode': 'all', title: 'Every model, with its lineage highlighted' }, 'Whole project'),
    ] : [];
    modeButtons.forEach(button => button.addEventListener('click', () => {
      mode = button.dataset.mode;
      modeButtons.forEach(other => other.classList.toggle('selected', other === button));
      draw();
    }));
    const legend = h('div', { class: 'legend' }, ['model', 'source', 'seed', 'snapshot', 'analysis']
      .filter(type => (byType.get(type) || []).length)
      .map(type => h('span', { style: '--legend: var(--' + type + ')' }, type)));
    const toolbar = h('div', { class: 'toolbar' }, modeButtons, legend, h('span', { class: 'spacer' }),
      h('button', { type: 'button', title: 'Zoom in', 'data-zoom': 'in', onclick: () => view && view.zoomBy(1.25) }, '+'),
      h('button', { type: 'button', title: 'Zoom out', 'data-zoom': 'out', onclick: () => view && view.zoomBy(0.8) }, '−'),
      h('button', { type: 'button', title: 'Fit the graph', 'data-zoom': 'fit', onclick: () => view && view.fit() }, 'Fit'));
    const title = focus ? 'Lineage' : 'Project lineage';
    return { card: card(title, 'section-lineage', toolbar, container), draw };
  }

  /**
   * Places the nodes (the Sugiyama way, simply): layers left to right, each node right of its parents; an edge
   * spanning several layers goes through a waypoint in each layer between, so it can be routed around the nodes;
   * then a few sweeps order each layer by the mean position of its neighbours, to limit crossings.
   */
  function layout(ids, nodeWidth) {
    const inGraph = new Set(ids);
    const parents = new Map(ids.map(id => [id, graphParents(id).filter(other => inGraph.has(other))]));
    const children = new Map(ids.map(id => [id, []]));
    parents.forEach((list, id) => list.forEach(parent => children.get(parent).push(id)));

    // A node's layer: one more than its furthest parent's (the longest path from a source).
    const layerOf = new Map();
    const layer = id => {
      if (layerOf.has(id)) {
        return layerOf.get(id);
      }
      layerOf.set(id, 0); // a cycle (there should be none) stops here
      let value = 0;
      for (const parent of parents.get(id)) {
        value = Math.max(value, layer(parent) + 1);
      }
      layerOf.set(id, value);
      return value;
    };
    ids.forEach(layer);
    // Models move right, next to their first consumer; sources and seeds stay in the first column.
    for (const id of ids.slice().sort((a, b) => layerOf.get(b) - layerOf.get(a))) {
      const type = resources.get(id).type;
      if (type !== 'source' && type !== 'seed' && children.get(id).length) {
        layerOf.set(id, Math.min(...children.get(id).map(child => layerOf.get(child))) - 1);
      }
    }

    // The ordering's neighbours, waypoints included; one route per edge.
    const up = new Map(ids.map(id => [id, []]));
    const down = new Map(ids.map(id => [id, []]));
    const routes = [];
    parents.forEach((list, child) => list.forEach(parent => {
      const waypoints = [];
      let previous = parent;
      for (let level = layerOf.get(parent) + 1; level < layerOf.get(child); level++) {
        const waypoint = '\u0000' + parent + '>' + child + '@' + level;
        layerOf.set(waypoint, level);
        up.set(waypoint, [previous]);
        down.set(waypoint, []);
        down.get(previous).push(waypoint);
        waypoints.push(waypoint);
        previous = waypoint;
      }
      up.get(child).push(previous);
      down.get(previous).push(child);
      routes.push({ from: parent, to: child, waypoints });
    }));
    const isWaypoint = id => id.charCodeAt(0) === 0;

    const layers = [];
    layerOf.forEach((level, id) => { (layers[level] = layers[level] || []).push(id); });
    for (let i = 0; i < layers.length; i++) {
      layers[i] = layers[i] || [];
    }
    const typeOrder = ['source', 'seed', 'snapshot', 'model', 'analysis'];
    const sortKey = id => isWaypoint(id) ? typeOrder.length : typeOrder.indexOf(resources.get(id).type);
    layers.forEach(list => list.sort((a, b) => sortKey(a) - sortKey(b)
      || (isWaypoint(a) || isWaypoint(b) ? 0 : resources.get(a).label.localeCompare(resources.get(b).label))));

    // Barycentre sweeps: each node moves towards the mean position of its parents (then of its children).
    const position = new Map();
    const place = list => list.forEach((id, i) => position.set(id, (i + 0.5) / list.length));
    layers.forEach(place);
    const mean = values => values.reduce((sum, value) => sum + value, 0) / values.length;
    for (let sweep = 0; sweep < 8; sweep++) {
      const downwards = sweep % 2 === 0;
      for (const list of downwards ? layers : layers.slice().reverse()) {
        const weight = new Map(list.map(id => {
          const neighbours = (downwards ? up : down).get(id);
          return [id, neighbours.length ? mean(neighbours.map(other => position.get(other))) : position.get(id)];
        }));
        list.sort((a, b) => weight.get(a) - weight.get(b));
        place(list);
      }
    }

    // Rows: a node takes its height, a waypoint a thin slot; each layer is centred vertically.
    const slot = id => isWaypoint(id) ? WAYPOINT_HEIGHT : NODE_HEIGHT;
    const layerHeight = list => list.reduce((sum, id) => sum + slot(id) + ROW_GAP, 0) - ROW_GAP;
    const height = Math.max(NODE_HEIGHT, ...layers.map(layerHeight));
    const coordinates = new Map();
    layers.forEach((list, column) => {
      let y = (height - layerHeight(list)) / 2;
      for (const id of list) {
        coordinates.set(id, { x: column * (nodeWidth + LAYER_GAP), y, middle: y + slot(id) / 2 });
        y += slot(id) + ROW_GAP;
      }
    });
    const width = Math.max(1, layers.length * (nodeWidth + LAYER_GAP) - LAYER_GAP);
    return { coordinates, parents, children, routes, width, height, nodeWidth };
  }

  /** An edge's path: a curve into each waypoint, straight through it, and a curve into the child. */
  function edgePath(graph, route) {
    const from = graph.coordinates.get(route.from);
    let x = from.x + graph.nodeWidth;
    let y = from.middle;
    let path = `M${x},${y}`;
    const curveTo = (toX, toY) => {
      const bend = Math.max(24, (toX - x) / 2);
      path += ` C${x + bend},${y} ${toX - bend},${toY} ${toX},${toY}`;
      x = toX;
      y = toY;
    };
    for (const waypoint of route.waypoints) {
      const at = graph.coordinates.get(waypoint);
      curveTo(at.x, at.middle);
      x = at.x + graph.nodeWidth;
      path += ` L${x},${y}`;
    }
    const to = graph.coordinates.get(route.to);
    curveTo(to.x - 3, to.middle);
    return path;
  }

  function shorten(text, width) {
    const fits = Math.floor(width / CHARACTER_WIDTH);
    return text.length > fits ? text.slice(0, fits - 1) + '…' : text;
  }

  /** Draws the graph in the container; returns its zoom controls. */
  function drawLineage(container, focus, mode) {
    let ids;
    if (focus && mode === 'focus') {
      ids = [focus, ...reachable(focus, graphParents), ...reachable(focus, graphChildren)];
    } else {
      ids = [...resources.values()].filter(r => GRAPH_TYPES.has(r.type)).map(r => r.id);
    }
    ids = [...new Set(ids)].filter(id => resources.has(id));
    container.replaceChildren();
    if (!ids.length) {
      container.append(h('p', { class: 'empty' }, 'Nothing to draw.'));
      return null;
    }
    // Nodes as wide as the longest name needs, within bounds: longer names are shortened (the tooltip has them).
    const longest = Math.max(...ids.map(id => resources.get(id).label.length));
    const graph = layout(ids, Math.round(Math.min(280, Math.max(150, longest * CHARACTER_WIDTH + 28))));
    const margin = 24;
    const boxHeight = Math.max(200, Math.min(graph.height + 2 * margin, 560));
    container.style.height = boxHeight + 'px';

    const edges = [];
    const edgeGroup = s('g', { class: 'edges' });
    for (const route of graph.routes) {
      const path = s('path', { class: 'lineage-edge', 'data-from': route.from, 'data-to': route.to, d: edgePath(graph, route) });
      edges.push(path);
      edgeGroup.append(path);
    }

    const nodes = [];
    const nodeGroup = s('g', { class: 'nodes' });
    for (const id of ids) {
      const resource = resources.get(id);
      const at = graph.coordinates.get(id);
      const ephemeral = resource.type === 'model' && (resource.json.config || {}).materialized === 'ephemeral';
      const node = s('g', {
        class: 'lineage-node type-' + resource.type + (ephemeral ? ' ephemeral' : ''), 'data-id': id,
        transform: `translate(${at.x},${at.y})`, tabindex: 0, role: 'link',
      },
      s('title', null, resource.id + (resource.json.description ? '\n' + resource.json.description : '')),
      s('rect', { width: graph.nodeWidth, height: NODE_HEIGHT, rx: 7 }),
      s('rect', { class: 'stripe', width: 5, height: NODE_HEIGHT - 8, x: 5, y: 4, rx: 2 }),
      s('text', { class: 'kind', x: 15, y: 13 }, ephemeral ? 'model · ephemeral' : resource.type),
      s('text', { class: 'name', x: 15, y: 28 }, shorten(resource.label, graph.nodeWidth - 22)));
      nodes.push(node);
      nodeGroup.append(node);
    }

    const viewport = s('g', { class: 'viewport' }, edgeGroup, nodeGroup);
    const svg = s('svg', { height: boxHeight, role: 'img', 'aria-label': 'Lineage graph' },
      s('defs', null, ['lineage-arrow', 'lineage-arrow-lit'].map(markerId => s('marker', {
        id: markerId, class: markerId, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto',
      }, s('path', { d: 'M0,0 L10,5 L0,10 z' })))),
      viewport);
    container.append(svg, h('span', { class: 'hint' }, 'Drag to move · wheel to zoom · click a node to open it'));

    // Highlighting: the node in focus, what it depends on (upstream), what depends on it (downstream).
    const highlight = id => {
      const upstream = id ? reachable(id, other => graph.parents.get(other) || []) : new Set();
      const downstream = id ? reachable(id, other => graph.children.get(other) || []) : new Set();
      const lit = other => other === id || upstream.has(other) || downstream.has(other);
      for (const node of nodes) {
        const other = node.dataset.id;
        node.classList.toggle('current', other === focus);
        node.classList.toggle('hovered', other === id && id !== focus);
        node.classList.toggle('upstream', upstream.has(other));
        node.classList.toggle('downstream', downstream.has(other));
        node.classList.toggle('dimmed', Boolean(id) && !lit(other));
      }
      for (const edge of edges) {
        const from = edge.dataset.from;
        const to = edge.dataset.to;
        const onPath = (upstream.has(from) && (to === id || upstream.has(to)))
          || (downstream.has(to) && (from === id || downstream.has(from)));
        edge.classList.toggle('highlight', Boolean(id) && onPath);
        edge.classList.toggle('dimmed', Boolean(id) && !onPath);
      }
    };
    highlight(focus);

    const view = panZoom(container, svg, viewport, graph, focus ? graph.coordinates.get(focus) : null);
    for (const node of nodes) {
      const id = node.dataset.id;
      node.addEventListener('mouseenter', () => highlight(id));
      node.addEventListener('mouseleave', () => highlight(focus));
      const open = () => {
        if (!view.dragged() && id !== focus) {
          location.hash = href(resources.get(id));
        }
      };
      node.addEventListener('click', open);
      node.addEventListener('keydown', event => {
        if (event.key === 'Enter') {
          open();
        }
      });
    }
    return view;
  }

  /** Pan (drag) and zoom (wheel, buttons) by moving and scaling the viewport group. */
  function panZoom(container, svg, viewport, graph, focusPoint) {
    let scale = 1;
    let x = 0;
    let y = 0;
    let drag = null;
    let dragged = false;
    const apply = () => viewport.setAttribute('transform', `translate(${x},${y}) scale(${scale})`);
    const clamp = value => Math.min(2.5, Math.max(0.15, value));

    const fit = () => {
      const width = container.clientWidth || 800;
      const height = container.clientHeight || 400;
      const margin = 24;
      scale = Math.min(1, (width - 2 * margin) / graph.width, (height - 2 * margin) / graph.height);
      if (scale < 0.45 && focusPoint) {
        // Too big to be read whole: show the node in focus at a readable size, in the middle.
        scale = 0.8;
        x = width / 2 - (focusPoint.x + graph.nodeWidth / 2) * scale;
        y = height / 2 - (focusPoint.y + NODE_HEIGHT / 2) * scale;
      } else {
        scale = clamp(scale);
        x = (width - graph.width * scale) / 2;
        y = (height - graph.height * scale) / 2;
      }
      apply();
    };

    const zoomAt = (factor, px, py) => {
      const next = clamp(scale * factor);
      x = px - (px - x) * next / scale;
      y = py - (py - y) * next / scale;
      scale = next;
      apply();
    };

    container.addEventListener('wheel', event => {
      event.preventDefault();
      const box = svg.getBoundingClientRect();
      zoomAt(Math.exp(-event.deltaY * 0.0015), event.clientX - box.left, event.clientY - box.top);
    }, { passive: false });

    container.addEventListener('pointerdown', event => {
      if (event.button !== 0) {
        return;
      }
      drag = { startX: event.clientX, startY: event.clientY, x, y };
      dragged = false;
    });
    const move = event => {
      if (!drag) {
        return;
      }
      const dx = event.clientX - drag.startX;
      const dy = event.clientY - drag.startY;
      if (!dragged && Math.hypot(dx, dy) < 4) {
        return; // a click, not a drag
      }
      dragged = true;
      container.classList.add('dragging');
      x = drag.x + dx;
      y = drag.y + dy;
      apply();
    };
    const end = () => {
      drag = null;
      container.classList.remove('dragging');
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', end);
    // The listeners on window outlive the graph: remove them when the page changes.
    window.addEventListener('hashchange', () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', end);
    }, { once: true });

    fit();
    return {
      fit,
      zoomBy: factor => zoomAt(factor, (container.clientWidth || 800) / 2, (container.clientHeight || 400) / 2),
      dragged: () => dragged,
    };
  }

  // ================================================================== start

  function start() {
    if (DATA) {
      document.getElementById('project-name').textContent = projectName();
      const generated = DATA.metadata && DATA.metadata.generated_at;
      document.getElementById('generated-at').textContent = generated
        ? 'Generated ' + new Date(generated).toLocaleString() : '';
    }
    search.addEventListener('input', () => {
      document.getElementById('sidebar').scrollTop = 0; // results from the top (or at the page's resource)
      renderList();
    });
    search.addEventListener('keydown', event => {
      if (event.key === 'Enter') {
        const first = nodeList.querySelector('.node-list-item');
        if (first) {
          location.hash = first.getAttribute('href');
        }
      } else if (event.key === 'Escape') {
        search.value = '';
        renderList();
        search.blur();
      }
    });
    document.addEventListener('keydown', event => {
      const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
      if (event.key === '/' && !typing) {
        event.preventDefault();
        search.focus();
        search.select();
      }
    });
    window.addEventListener('hashchange', route);
    renderList();
    route();
  }

  start();
}());
