/** The catalog as a card grid: what can be connected, what is, and the way in to each. */
import { useState } from 'react';
import { api } from '../api.ts';
import { ErrorNote, Spinner, useLoad } from '../controls.tsx';
import { Link } from '../router.tsx';
import type { CatalogItem } from '../types.ts';
import { ConnectDialog } from './connect-dialog.tsx';

export function IntegrationsPage() {
  const catalog = useLoad(() => api<CatalogItem[]>('GET', '/integrations/catalog'), []);
  const [connecting, setConnecting] = useState<CatalogItem | null>(null);
  return (
    <section>
      <h1>Integrations</h1>
      <p className="lead">Connect a system once; every agent of this organization can then use it.</p>
      <ErrorNote error={catalog.error} />
      {catalog.loading && !catalog.data && <Spinner label="Loading the catalog…" />}
      <ul className="grid" aria-label="Catalog">
        {catalog.data?.map((p) => (
          <li key={p.kind} className="card provider" data-kind={p.kind}>
            <div className="provider-head">
              <span className={`logo logo-${p.logo}`} aria-hidden="true">
                {p.name.slice(0, 1)}
              </span>
              <div>
                <h2>{p.name}</h2>
                <span className="muted">{p.category}</span>
              </div>
            </div>
            <p>{p.blurb}</p>
            <div className="badges">
              <span className="badge">{p.actionCount === 1 ? '1 action' : `${p.actionCount} actions`}</span>
              {p.hasPack && <span className="badge pack">pack</span>}
              <span className={`badge status-${p.connectionStatus ?? 'none'}`}>
                {p.connected ? (p.connectionStatus ?? 'connected') : 'not connected'}
              </span>
            </div>
            <div className="actions">
              {p.connected ? (
                <Link href={`/integrations/${p.kind}`} className="button">
                  Open
                </Link>
              ) : (
                <button type="button" onClick={() => setConnecting(p)} aria-label={`Connect ${p.name}`}>
                  Connect
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      {connecting && (
        <ConnectDialog
          provider={connecting}
          onClose={() => setConnecting(null)}
          onConnected={() => {
            setConnecting(null);
            catalog.reload();
          }}
        />
      )}
    </section>
  );
}
