// The two languages: strings in i18n/fr.json and i18n/en.json; the choice is kept in localStorage.
const KEY = 'entrepot.language';
let current = 'fr';
let strings = {};

export function language() {
  return current;
}

export async function loadLanguage(wanted) {
  const chosen = wanted || localStorage.getItem(KEY)
    || ((navigator.language || 'fr').toLowerCase().startsWith('fr') ? 'fr' : 'en');
  current = chosen === 'en' ? 'en' : 'fr';
  localStorage.setItem(KEY, current);
  const response = await fetch(`i18n/${current}.json`);
  strings = await response.json();
  document.documentElement.lang = current;
  for (const element of document.querySelectorAll('[data-i18n]')) {
    element.textContent = t(element.dataset.i18n);
  }
}

/** The string for a key, {name} replaced by params.name; the key itself when missing. */
export function t(key, params = {}) {
  const text = strings[key];
  if (text === undefined) return key;
  return text.replace(/\{(\w+)\}/g, (all, name) => (params[name] === undefined ? all : String(params[name])));
}

/** A label given in the YAML as {fr: ..., en: ...} or as one string. */
export function label(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return value[current] || value.fr || value.en || '';
}
