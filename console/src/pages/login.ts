// Log in with a name (shown in the triage timeline) and the console password.
import { postJson, setCsrfToken } from '../api.ts';
import { errorBox, h, show } from '../dom.ts';

export function loginPage(): void {
  const message = h('div');
  const form = h(
    'form',
    { class: 'login', 'aria-labelledby': 'login-title' },
    h('label', { for: 'login-user' }, 'Your name'),
    h('input', { id: 'login-user', name: 'user', autocomplete: 'username', required: true }),
    h('label', { for: 'login-password' }, 'Console password'),
    h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    h('button', { type: 'submit' }, 'Log in'),
    message,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    postJson<{ csrfToken: string }>('/api/login', { user: data.get('user'), password: data.get('password') })
      .then(({ csrfToken }) => {
        setCsrfToken(csrfToken);
        location.hash = '#/alerts';
      })
      .catch((error: Error) => message.replaceChildren(errorBox(error.message)));
  });
  show(h('h1', { id: 'login-title' }, 'Log in to tailwatch'), h('p', {}, 'The password is printed when tailwatch run starts (or set with console.password).'), form);
}
