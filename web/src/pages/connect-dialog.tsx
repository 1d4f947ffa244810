/**
 * Connecting a provider: OAuth in a popup (the page polls the connection until the popup finishes),
 * an API-key form (Shopify), or database credentials checked with `sql/test` before connecting.
 */
import { useEffect, useRef, useState } from 'react';
import { api } from '../api.ts';
import { Dialog, ErrorNote, Spinner, useAction } from '../controls.tsx';
import type { CatalogItem, Connection, SqlCheck } from '../types.ts';

interface Props {
  provider: CatalogItem;
  onClose: () => void;
  onConnected: () => void;
}

export function ConnectDialog({ provider, onClose, onConnected }: Props) {
  return (
    <Dialog title={`Connect ${provider.name}`} onClose={onClose}>
      {provider.authType === 'oauth2' && <OAuthConnect provider={provider} onConnected={onConnected} />}
      {provider.authType === 'api_key' && <ApiKeyConnect provider={provider} onConnected={onConnected} />}
      {provider.authType === 'credentials' && (
        <DatabaseConnect provider={provider} onConnected={onConnected} />
      )}
    </Dialog>
  );
}

const isConnected = async (kind: string) =>
  (await api<Connection[]>('GET', '/integrations')).some((c) => c.kind === kind && c.status === 'connected');

function OAuthConnect({ provider, onConnected }: { provider: CatalogItem; onConnected: () => void }) {
  const [waiting, setWaiting] = useState(false);
  const [note, setNote] = useState('');
  const timer = useRef<ReturnType<typeof setInterval>>(undefined);
  useEffect(() => () => clearInterval(timer.current), []);
  const start = useAction(async () => {
    // Opened on the click itself, so popup blockers let it through; the URL follows.
    const popup = window.open('about:blank', 'flowyte-oauth', 'popup,width=520,height=680');
    let res: { oauthUrl?: string };
    try {
      res = await api<{ oauthUrl?: string }>('POST', `/integrations/${provider.kind}/connect`, {});
    } catch (e) {
      popup?.close();
      throw e;
    }
    if (!res.oauthUrl) return onConnected();
    if (!popup) {
      setNote('The browser blocked the popup; allow popups for this site, or open the consent page:');
      return;
    }
    popup.location.href = res.oauthUrl;
    setWaiting(true);
    let closedChecks = 0;
    timer.current = setInterval(async () => {
      const done = await isConnected(provider.kind).catch(() => false);
      if (done) {
        clearInterval(timer.current);
        if (!popup.closed) popup.close();
        onConnected();
      } else if (popup.closed && ++closedChecks > 1) {
        clearInterval(timer.current);
        setWaiting(false);
        setNote('The window closed before the connection finished. Try again.');
      }
    }, 800);
  });
  return (
    <div className="stack">
      <p>
        A window opens at {provider.name}. Sign in there and allow access; this page notices when it is done.
      </p>
      {waiting ? (
        <Spinner label="Waiting for the consent window…" />
      ) : (
        <button type="button" onClick={() => void start.run()} disabled={start.busy}>
          Continue with {provider.name}
        </button>
      )}
      {note && <p className="warn">{note}</p>}
      <ErrorNote error={start.error} />
    </div>
  );
}

function ApiKeyConnect({ provider, onConnected }: { provider: CatalogItem; onConnected: () => void }) {
  const [mode, setMode] = useState<'token' | 'client'>('token');
  const [shop, setShop] = useState('');
  const [accessToken, setAccessToken] = useState('');
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const connect = useAction(async () => {
    const credentials =
      mode === 'token'
        ? { shop, access_token: accessToken }
        : { shop, client_id: clientId, client_secret: clientSecret };
    await api('POST', `/integrations/${provider.kind}/connect`, { credentials });
    onConnected();
  });
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        void connect.run();
      }}
    >
      <label>
        Shop domain
        <input
          required
          placeholder="your-shop.myshopify.com"
          value={shop}
          onChange={(e) => setShop(e.target.value)}
        />
      </label>
      <fieldset>
        <legend>Credentials</legend>
        <label className="inline">
          <input type="radio" name="mode" checked={mode === 'token'} onChange={() => setMode('token')} />{' '}
          Admin API access token
        </label>
        <label className="inline">
          <input type="radio" name="mode" checked={mode === 'client'} onChange={() => setMode('client')} />{' '}
          Client ID and secret
        </label>
      </fieldset>
      {mode === 'token' ? (
        <label>
          Access token
          <input
            required
            type="password"
            autoComplete="off"
            value={accessToken}
            onChange={(e) => setAccessToken(e.target.value)}
          />
        </label>
      ) : (
        <>
          <label>
            Client ID
            <input
              required
              autoComplete="off"
              value={clientId}
              onChange={(e) => setClientId(e.target.value)}
            />
          </label>
          <label>
            Client secret
            <input
              required
              type="password"
              autoComplete="off"
              value={clientSecret}
              onChange={(e) => setClientSecret(e.target.value)}
            />
          </label>
        </>
      )}
      <ErrorNote error={connect.error} />
      <button type="submit" disabled={connect.busy}>
        {connect.busy ? 'Checking…' : 'Connect'}
      </button>
    </form>
  );
}

const SSL_MODES = ['require', 'verify-full', 'verify-ca', 'disable'];

function DatabaseConnect({ provider, onConnected }: { provider: CatalogItem; onConnected: () => void }) {
  const [f, setF] = useState({
    host: '',
    port: provider.kind === 'mysql' ? '3306' : '5432',
    database: '',
    user: '',
    password: '',
    sslmode: 'require',
  });
  const [checks, setChecks] = useState<{ ok: boolean; checks: SqlCheck[] } | null>(null);
  const creds = () => ({ ...f, port: Number(f.port) });
  const test = useAction(async () => {
    setChecks(null);
    setChecks(await api('POST', `/integrations/${provider.kind}/sql/test`, creds()));
  });
  const connect = useAction(async () => {
    await api('POST', `/integrations/${provider.kind}/connect`, { credentials: creds() });
    onConnected();
  });
  const field = (name: keyof typeof f, label: string, type = 'text') => (
    <label>
      {label}
      <input
        name={name}
        type={type}
        autoComplete="off"
        required={name !== 'password'}
        value={f[name]}
        onChange={(e) => setF({ ...f, [name]: e.target.value })}
      />
    </label>
  );
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        void connect.run();
      }}
    >
      <div className="row">
        {field('host', 'Host')}
        {field('port', 'Port', 'number')}
      </div>
      {field('database', 'Database')}
      <div className="row">
        {field('user', 'User')}
        {field('password', 'Password', 'password')}
      </div>
      <label>
        TLS
        <select value={f.sslmode} onChange={(e) => setF({ ...f, sslmode: e.target.value })}>
          {SSL_MODES.map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
      </label>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => void test.run()} disabled={test.busy}>
          {test.busy ? 'Testing…' : 'Test'}
        </button>
        <button type="submit" disabled={connect.busy}>
          {connect.busy ? 'Connecting…' : 'Connect'}
        </button>
      </div>
      <ErrorNote error={test.error} />
      {checks && (
        <ul className="checklist" aria-label="Connection checks">
          {checks.checks.map((c) => (
            <li key={c.name} className={c.ok ? 'ok' : 'fail'}>
              <span aria-hidden="true">{c.ok ? '✓' : '✗'}</span> <strong>{c.name}</strong> {c.detail}{' '}
              <span className="muted">{Math.round(c.ms)} ms</span>
            </li>
          ))}
        </ul>
      )}
      <ErrorNote error={connect.error} />
    </form>
  );
}
