// The signed-in user's token (sessionStorage: gone when the tab closes) and the calls that carry it.
const KEY = 'entrepot.token';
const COOKIE = 'entrepot_token';
let me = null;

export function token() {
  return sessionStorage.getItem(KEY);
}

/** Keeps the token; the catalog's pages (loaded by the browser itself) get it as a cookie for /catalog only. */
export function keep(value) {
  sessionStorage.setItem(KEY, value);
  document.cookie = `${COOKIE}=${encodeURIComponent(value)}; path=/catalog; SameSite=Strict`;
  me = null;
}

export function forget() {
  sessionStorage.removeItem(KEY);
  document.cookie = `${COOKIE}=; path=/catalog; SameSite=Strict; max-age=0`;
  me = null;
}

/** An error answered by the server, with its message and code. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** A JSON call with the token; a 401 sends the user to the sign-in page. */
export async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  if (token()) headers.Authorization = `Bearer ${token()}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  let json = null;
  try {
    json = await response.json();
  } catch (e) {
    json = null;
  }
  if (response.status === 401) {
    forget();
    if (!location.hash.startsWith('#/signin')) {
      location.hash = `#/signin?next=${encodeURIComponent(location.hash)}`;
    }
    throw new ApiError(401, 'UNAUTHENTICATED', (json && json.errors && json.errors[0].message) || 'Sign in');
  }
  if (!response.ok || (json && json.errors && !json.data)) {
    const error = json && json.errors && json.errors[0];
    throw new ApiError(response.status, error && error.extensions ? error.extensions.code : 'ERROR',
      error ? error.message : `HTTP ${response.status}`);
  }
  return json;
}

/** Who the token is (cached until sign-out): subject, role, territories, can_operate. */
export async function whoAmI() {
  if (!me) me = await api('/api/ui/me');
  return me;
}

/** A GraphQL query to the API with the user's token; the response's data, or the first error thrown. */
export async function graphql(query, variables) {
  const json = await api('/graphql', { method: 'POST', body: { query, variables } });
  if (json.errors && json.errors.length) {
    const error = json.errors[0];
    throw new ApiError(200, error.extensions ? error.extensions.code : 'ERROR', error.message);
  }
  return json.data;
}
