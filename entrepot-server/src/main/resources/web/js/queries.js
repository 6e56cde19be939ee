// GraphQL queries of the dashboards. Names (cubes, measures, dimensions) come from the dashboards' files, checked by
// the server against the semantic layer; values (filters, dates) always travel as variables.

/** Territorial levels, finest first (a drill goes from right to left). */
export const LEVELS = ['commune', 'epci', 'departement', 'region'];
/** The largest page a chart asks for. */
const PAGE = 1000;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function name(value) {
  if (!NAME.test(value)) throw new Error(`not a name: ${value}`);
  return value;
}

function enumValue(value) {
  return name(String(value).toUpperCase());
}

/**
 * The query of a chart: its measures by its dimensions, with its own filters, the page's filters and time range.
 * Returns {text, variables}.
 */
export function buildQuery(chart, pageFilters, timeRange) {
  const variables = {};
  const declarations = [];
  const variable = (value, type) => {
    const key = `v${declarations.length}`;
    declarations.push(`$${key}: ${type}`);
    variables[key] = value;
    return `$${key}`;
  };
  const filter = (f) => {
    const parts = [`dimension: ${name(f.dimension)}`];
    if (f.level) parts.push(`level: ${enumValue(f.level)}`);
    parts.push(`operator: ${enumValue(f.operator || 'equals')}`);
    if (f.values !== undefined && f.values !== null) parts.push(`values: ${variable(f.values, '[FilterValue!]')}`);
    else if (f.value !== undefined && f.value !== null) parts.push(`value: ${variable(f.value, 'FilterValue')}`);
    return `{${parts.join(', ')}}`;
  };
  const args = [`measures: [${chart.measures.map(name).join(', ')}]`];
  if (chart.dimensions.length) {
    args.push(`dimensions: [${chart.dimensions.map((d) => {
      const parts = [`dimension: ${name(d.dimension)}`];
      if (d.grain) parts.push(`grain: ${enumValue(d.grain)}`);
      if (d.level) parts.push(`level: ${enumValue(d.level)}`);
      return `{${parts.join(', ')}}`;
    }).join(', ')}]`);
  }
  const filters = [...(chart.filters || []), ...pageFilters];
  if (filters.length) args.push(`filters: [${filters.map(filter).join(', ')}]`);
  if (timeRange) {
    args.push(`timeRange: {dimension: ${name(timeRange.dimension)}, from: ${variable(timeRange.from, 'String')}, `
      + `to: ${variable(timeRange.to, 'String')}}`);
  }
  if (chart.segments && chart.segments.length) args.push(`segments: [${chart.segments.map(name).join(', ')}]`);
  if (chart.order_by && chart.order_by.length) {
    args.push(`orderBy: [${chart.order_by.map((o) => `{field: ${name(o.field)}, direction: ${enumValue(o.direction)}}`).join(', ')}]`);
  }
  args.push(`limit: ${chart.limit || PAGE}`);
  const fields = [
    ...chart.measures.map(name),
    ...chart.dimensions.map((d) => (d.level ? `${name(d.dimension)} { level code name }` : name(d.dimension))),
  ];
  const head = declarations.length ? `query Chart(${declarations.join(', ')})` : 'query Chart';
  return {
    text: `${head} {\n  ${name(chart.cube)}(${args.join(', ')}) {\n    rows { ${fields.join(' ')} }\n    hasMore\n  }\n}`,
    variables,
  };
}

/** The values of one dimension (a filter's choices), at a level for a geographic one, a year for a time one. */
export function optionsQuery(cube, dimension, level, info) {
  const parts = [`dimension: ${name(dimension)}`];
  if (level) parts.push(`level: ${enumValue(level)}`);
  else if (info && info.type === 'time') parts.push('grain: YEAR');
  const field = level ? `${name(dimension)} { code name }` : name(dimension);
  return {
    text: `query Choices {\n  ${name(cube)}(measures: [], dimensions: [{${parts.join(', ')}}], `
      + `orderBy: [{field: ${name(dimension)}, direction: ASC}], limit: ${PAGE}) {\n    rows { ${field} }\n  }\n}`,
    variables: {},
  };
}

/** What the API says of the cubes: measures and dimensions with their descriptions, kinds, types and levels. */
export function describeQuery(cubes) {
  const parts = cubes.map((cube, index) => `  c${index}: cube(name: "${name(cube)}") {\n`
    + '    name measures { name description dataType }\n'
    + '    dimensions { name description type dataType levels grains }\n  }');
  return `query Describe {\n${parts.join('\n')}\n}`;
}
