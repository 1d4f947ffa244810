/** API keys: mint with chosen scopes (shown once), list, revoke. Owners only. */
import { useState } from 'react';
import { api, apiPage } from '../api.ts';
import { CopyButton, ErrorNote, Spinner, useAction, useLoad, when } from '../controls.tsx';
import { useSession } from '../session.ts';

const SCOPES = [
  'integrations:read',
  'integrations:write',
  'skills:write',
  'agents:read',
  'agents:write',
  'skills:invoke',
  'keys:write',
  'metrics:read',
];

interface KeyView {
  keyId: string;
  prefix: string;
  last4: string;
  scopes: string[];
  label: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export default function KeysPage() {
  const { isOwner } = useSession();
  if (!isOwner)
    return (
      <section>
        <h1>API keys</h1>
        <p className="warn">Only owners of this organization manage API keys.</p>
      </section>
    );
  return <Keys />;
}

function Keys() {
  const keys = useLoad(() => apiPage<KeyView>('/keys?limit=200'), []);
  const [scopes, setScopes] = useState<string[]>(['skills:invoke']);
  const [label, setLabel] = useState('');
  const [expiresIn, setExpiresIn] = useState('');
  const [shown, setShown] = useState<string | null>(null);
  const create = useAction(async () => {
    const made = await api<{ key: string }>('POST', '/keys', {
      scopes,
      ...(label ? { label } : {}),
      ...(expiresIn ? { expiresIn } : {}),
    });
    setShown(made.key);
    keys.reload();
  });
  const revoke = useAction(async (id: string) => {
    await api('DELETE', `/keys/${id}`);
    keys.reload();
  });
  return (
    <section>
      <h1>API keys</h1>
      <form
        className="card stack"
        onSubmit={(e) => {
          e.preventDefault();
          void create.run();
        }}
      >
        <h2>New key</h2>
        <fieldset>
          <legend>Scopes</legend>
          <div className="checks">
            {SCOPES.map((s) => (
              <label key={s} className="inline">
                <input
                  type="checkbox"
                  checked={scopes.includes(s)}
                  onChange={(e) =>
                    setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))
                  }
                />{' '}
                {s}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="row">
          <label>
            Label
            <input value={label} maxLength={200} onChange={(e) => setLabel(e.target.value)} />
          </label>
          <label>
            Expires in (e.g. 30d)
            <input value={expiresIn} onChange={(e) => setExpiresIn(e.target.value)} placeholder="never" />
          </label>
        </div>
        <ErrorNote error={create.error} />
        <button type="submit" disabled={create.busy || scopes.length === 0}>
          Create key
        </button>
        {shown && (
          <div className="success" role="status">
            <p>Copy this key now: it is shown only once.</p>
            <code className="secret" data-testid="new-key">
              {shown}
            </code>{' '}
            <CopyButton text={shown} />{' '}
            <button type="button" className="ghost" onClick={() => setShown(null)}>
              Done
            </button>
          </div>
        )}
      </form>
      <ErrorNote error={keys.error ?? revoke.error} />
      {keys.loading && !keys.data && <Spinner label="Loading keys…" />}
      <table>
        <caption>Keys of this organization</caption>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Label</th>
            <th scope="col">Scopes</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {keys.data?.data.map((k) => (
            <tr key={k.keyId} data-key-id={k.keyId}>
              <td>
                <code>
                  {k.prefix}…{k.last4}
                </code>
              </td>
              <td>{k.label ?? '—'}</td>
              <td>{k.scopes.join(', ')}</td>
              <td>{when(k.createdAt)}</td>
              <td>{when(k.lastUsedAt)}</td>
              <td>
                {k.revokedAt ? (
                  <span className="badge">revoked</span>
                ) : (
                  <button
                    type="button"
                    className="secondary"
                    aria-label={`Revoke ${k.prefix}…${k.last4}`}
                    onClick={() => void revoke.run(k.keyId)}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
