import { useState } from 'preact/hooks';
import { login } from '../state/session.js';
import { ErrorBox } from '../components/States.jsx';

export function Login({ next }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function submit(e) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username.trim(), password, next);
    } catch (err) {
      setError(err.status === 401 ? { ...err, message: 'Wrong user name or password.', code: err.code } : err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="login" id="main">
      <form onSubmit={submit} class="card" aria-labelledby="login-title">
        <h1 id="login-title">DHCP Shield</h1>
        <p class="muted">Sign in to the appliance</p>
        <div class="field">
          <label for="login-user">User name</label>
          <input id="login-user" name="username" autocomplete="username" required value={username} onInput={(e) => setUsername(e.currentTarget.value)} autofocus />
        </div>
        <div class="field">
          <label for="login-password">Password</label>
          <input id="login-password" name="password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </div>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <ErrorBox error={error} title="Not signed in" />
      </form>
    </main>
  );
}
