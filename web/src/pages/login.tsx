/** Email and password → a session cookie (HttpOnly: the page never sees it) and the CSRF token. */
import { useState } from 'react';
import { api } from '../api.ts';
import { ErrorNote, useAction } from '../controls.tsx';
import type { SessionInfo } from '../session.ts';

export function LoginPage({ onLoggedIn }: { onLoggedIn: (s: SessionInfo) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const login = useAction(async () => {
    const s = await api<SessionInfo>('POST', '/session/login', { email, password });
    setPassword('');
    onLoggedIn(s);
  });
  return (
    <main className="login">
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          void login.run();
        }}
      >
        <h1>Log in to Flowyte</h1>
        <label>
          Email
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <ErrorNote error={login.error} />
        <button type="submit" disabled={login.busy}>
          {login.busy ? 'Logging in…' : 'Log in'}
        </button>
        <p className="hint">
          No account? An administrator creates one with{' '}
          <code>npx flowyte users create --email … --org …</code>.
        </p>
      </form>
    </main>
  );
}
