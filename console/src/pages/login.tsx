/** The login page, shown when the server answers 401 (it runs with --auth and we hold no good credentials). */
import { useState } from 'preact/hooks';
import { ApiError, call, errorText, setCredentials } from '../api.js';

export function Login({ onLogin }: { onLogin: (user: string) => void }) {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError('');
    setCredentials({ user, password });
    try {
      // Users may always read themselves: this checks the password and nothing else.
      await call('users/describe', { userName: user });
      onLogin(user);
    } catch (err) {
      setCredentials(undefined);
      setError(err instanceof ApiError && err.code === 1800 ? 'Wrong user name or password.' : errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="login">
      <form class="card" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <h1 id="login-title">Sign in to Elanus</h1>
        <p class="muted">This server runs with authentication on.</p>
        <label>
          User name
          <input name="user" autoComplete="username" value={user} onInput={(e) => setUser((e.target as HTMLInputElement).value)} required autoFocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} required />
        </label>
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
