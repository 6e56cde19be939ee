// Sign-in: the user pastes the API token (JWT) they were given; it is checked by asking the server who it is.
import { t } from './i18n.js';
import { h, fill } from './dom.js';
import { keep, forget, whoAmI } from './session.js';

export function showSignIn(view, next) {
  const field = h('textarea', { id: 'token', name: 'token', required: true, autocomplete: 'off', spellcheck: 'false',
    'aria-describedby': 'token-help' });
  const message = h('p', { id: 'signin-error', class: 'error', role: 'alert', hidden: true });
  const form = h('form', { class: 'panel signin' },
    h('h1', {}, t('signin.title')),
    h('p', { id: 'token-help', class: 'hint' }, t('signin.help')),
    h('label', { for: 'token' }, t('signin.token')),
    field,
    message,
    h('p', {}, h('button', { type: 'submit', class: 'primary', id: 'signin-button' }, t('signin.submit'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.hidden = true;
    keep(field.value.trim());
    try {
      await whoAmI();
    } catch (e) {
      forget();
      message.textContent = `${t('signin.refused')} ${e.message}`;
      message.hidden = false;
      field.focus();
      return;
    }
    if (next && next.startsWith('/') && !next.startsWith('//')) {
      location.href = next;
    } else {
      location.hash = next && next.startsWith('#') ? next : '#/';
    }
  });
  fill(view, form);
  field.focus();
}
