/** One connection: status, discovery, the schema browser, scoping, SQL scripts, disconnect. */
import { useState } from 'react';
import { api } from '../api.ts';
import { SchemaBrowser } from '../components/schema-browser.tsx';
import { CopyButton, ErrorNote, Spinner, useAction, useLoad, when } from '../controls.tsx';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.ts';
import type { CatalogItem, Connection, Schema } from '../types.ts';

interface Scoping {
  blockedObjects: string[];
  blockedFields: string[];
  /** Bound skills the scoping blocks: they need review (answered by the server, never sent). */
  affectedSkills?: { id: string; agentId: string; name: string }[];
}

const NO_SCOPING: Scoping = { blockedObjects: [], blockedFields: [] };

interface DiscoverResult {
  objectCount: number;
  fieldCount: number;
  edgeCount: number;
  operationCount: number;
  durationMs: number;
}

export default function IntegrationPage({ kind }: { kind: string }) {
  const { isOwner } = useSession();
  const info = useLoad(async () => {
    const [catalog, connections] = await Promise.all([
      api<CatalogItem[]>('GET', '/integrations/catalog'),
      api<Connection[]>('GET', '/integrations'),
    ]);
    return {
      provider: catalog.find((p) => p.kind === kind),
      connection: connections.find((c) => c.kind === kind),
    };
  }, [kind]);
  const schema = useLoad(() => api<Schema>('GET', `/integrations/${kind}/schema`).catch(() => null), [kind]);
  const [found, setFound] = useState<DiscoverResult | null>(null);
  const scoping = useLoad(
    () => api<Scoping>('GET', `/integrations/${kind}/scoping`).catch(() => ({ ...NO_SCOPING })),
    [kind],
  );
  const hidden = scoping.data ?? NO_SCOPING;
  const [confirming, setConfirming] = useState(false);
  const discover = useAction(async () => {
    setFound(await api<DiscoverResult>('POST', `/integrations/${kind}/discover`));
    schema.reload();
    info.reload();
  });
  const scope = useAction(async (next: Scoping) => {
    const body = { blockedObjects: next.blockedObjects, blockedFields: next.blockedFields };
    scoping.setData(await api<Scoping>('PATCH', `/integrations/${kind}/scoping`, body));
    schema.reload();
  });
  const disconnect = useAction(async () => {
    await api('DELETE', `/integrations/${kind}`);
    navigate('/');
  });

  if (info.loading && !info.data) return <Spinner label="Loading…" />;
  const provider = info.data?.provider;
  const conn = info.data?.connection;
  const isSql = provider?.authType === 'credentials';
  return (
    <section>
      <p>
        <Link href="/">← Integrations</Link>
      </p>
      <h1>{provider?.name ?? kind}</h1>
      <ErrorNote error={info.error} />
      {!conn ? (
        <p>
          Not connected. <Link href="/">Connect it from the catalog.</Link>
        </p>
      ) : (
        <>
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              <span className={`badge status-${conn.status}`}>{conn.status}</span>
            </dd>
            <dt>Account</dt>
            <dd>{conn.accountLabel ?? '—'}</dd>
            <dt>Connected</dt>
            <dd>{when(conn.connectedAt)}</dd>
            <dt>Last discovered</dt>
            <dd>{when(conn.lastDiscoveredAt)}</dd>
          </dl>
          <div className="actions">
            <button type="button" onClick={() => void discover.run()} disabled={discover.busy}>
              {conn.lastDiscoveredAt ? 'Discover again' : 'Discover'}
            </button>
            {isOwner &&
              (confirming ? (
                <span className="confirm">
                  Disconnect? Draft skills using it are disabled.{' '}
                  <button type="button" className="danger" onClick={() => void disconnect.run()}>
                    Yes, disconnect
                  </button>{' '}
                  <button type="button" className="secondary" onClick={() => setConfirming(false)}>
                    Cancel
                  </button>
                </span>
              ) : (
                <button type="button" className="secondary" onClick={() => setConfirming(true)}>
                  Disconnect
                </button>
              ))}
          </div>
          {discover.busy && <Spinner label="Discovering the schema…" />}
          <ErrorNote error={discover.error ?? disconnect.error} />
          {found && (
            <p className="success" role="status">
              Found {found.objectCount} objects, {found.fieldCount} fields, {found.edgeCount} relationships
              and {found.operationCount} operations in {Math.round(found.durationMs)} ms.
            </p>
          )}
          <h2>Schema</h2>
          {schema.data ? (
            <SchemaBrowser
              schema={schema.data}
              onHide={(o) => void scope.run({ ...hidden, blockedObjects: [...hidden.blockedObjects, o] })}
              onHideField={(o, f) =>
                void scope.run({ ...hidden, blockedFields: [...hidden.blockedFields, `${o}.${f}`] })
              }
            />
          ) : (
            !schema.loading && <p className="muted">Not discovered yet: press Discover.</p>
          )}
          <ErrorNote error={scope.error} />
          {hidden.blockedObjects.length + hidden.blockedFields.length > 0 && (
            <section className="card" aria-label="Hidden from agents">
              <h3>Hidden from agents</h3>
              <ul>
                {hidden.blockedObjects.map((o) => (
                  <li key={o}>
                    <code>{o}</code>{' '}
                    <button
                      type="button"
                      className="secondary"
                      onClick={() =>
                        void scope.run({
                          ...hidden,
                          blockedObjects: hidden.blockedObjects.filter((x) => x !== o),
                        })
                      }
                    >
                      Show again
                    </button>
                  </li>
                ))}
                {hidden.blockedFields.map((f) => (
                  <li key={f}>
                    <code>{f}</code>{' '}
                    <button
                      type="button"
                      className="secondary"
                      onClick={() =>
                        void scope.run({
                          ...hidden,
                          blockedFields: hidden.blockedFields.filter((x) => x !== f),
                        })
                      }
                    >
                      Show again
                    </button>
                  </li>
                ))}
              </ul>
              {(hidden.affectedSkills?.length ?? 0) > 0 && (
                <p className="warn" role="note">
                  Skills that need review (an operator must save their binding again or remove them):{' '}
                  {hidden.affectedSkills!.map((a) => (
                    <span key={a.id}>
                      <Link href={`/agents/${a.agentId}`}>{a.name}</Link>{' '}
                    </span>
                  ))}
                </p>
              )}
            </section>
          )}
          {isSql && <SqlScripts kind={kind} />}
        </>
      )}
    </section>
  );
}

function SqlScripts({ kind }: { kind: string }) {
  const [database, setDatabase] = useState('');
  const [tables, setTables] = useState('');
  const [script, setScript] = useState<{ readOnly: string; write: string | null } | null>(null);
  const load = useAction(async () => {
    const q = new URLSearchParams({ database });
    if (tables.trim()) q.set('tables', tables.trim());
    setScript(await api('GET', `/integrations/${kind}/sql/scripts?${q}`));
  });
  return (
    <div className="card">
      <h2>Least-privilege SQL</h2>
      <p className="muted">A read-only role for live calls, and grants for the tables agents may write.</p>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void load.run();
        }}
      >
        <label>
          Database
          <input required value={database} onChange={(e) => setDatabase(e.target.value)} />
        </label>
        <label>
          Writable tables (comma-separated)
          <input value={tables} onChange={(e) => setTables(e.target.value)} />
        </label>
        <button type="submit">Show scripts</button>
      </form>
      <ErrorNote error={load.error} />
      {script && (
        <>
          <pre>{script.readOnly}</pre>
          <CopyButton text={script.readOnly} label="Copy read-only script" />
          {script.write && (
            <>
              <pre>{script.write}</pre>
              <CopyButton text={script.write} label="Copy write script" />
            </>
          )}
        </>
      )}
    </div>
  );
}
