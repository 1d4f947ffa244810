/** The shell: who is signed in, which organization, the navigation, and which page to show. */
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { api, configureApi } from './api.ts';
import { Spinner } from './controls.tsx';
import { IntegrationsPage } from './pages/integrations.tsx';
import { LoginPage } from './pages/login.tsx';
import { Link, match, navigate, usePath } from './router.tsx';
import { SessionContext, type SessionInfo, type SessionState } from './session.ts';

// Pages past the first are loaded when visited: the first page stays small.
const IntegrationPage = lazy(() => import('./pages/integration.tsx'));
const AgentsPage = lazy(() => import('./pages/agents.tsx'));
const AgentPage = lazy(() => import('./pages/agent.tsx'));
const KeysPage = lazy(() => import('./pages/keys.tsx'));

const ORG_KEY = 'flowyte.org';

export function App() {
  const path = usePath();
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  const [orgId, setOrgId] = useState<string>(() => localStorage.getItem(ORG_KEY) ?? '');

  const signedOut = useCallback(() => {
    setSession(null);
    if (location.pathname !== '/login') {
      const next = location.pathname === '/' ? '' : `?next=${encodeURIComponent(location.pathname)}`;
      navigate(`/login${next}`, true);
    }
  }, []);

  useEffect(() => {
    configureApi({ onUnauthorized: signedOut });
    api<SessionInfo | null>('GET', '/session')
      .then((s) => (s ? setSession(s) : signedOut()))
      .catch(() => signedOut());
  }, [signedOut]);

  const state = useMemo<SessionState | null>(() => {
    if (!session) return null;
    const org = session.organizations.find((o) => o.orgId === orgId) ?? session.organizations[0];
    configureApi({ csrf: session.csrfToken, org: org.orgId });
    return {
      session,
      org,
      isOwner: org.role === 'owner',
      chooseOrg: (id) => {
        localStorage.setItem(ORG_KEY, id);
        setOrgId(id);
      },
      logout: () => {
        void api('POST', '/session/logout').finally(signedOut);
      },
    };
  }, [session, orgId, signedOut]);

  if (session === undefined) return <Spinner label="Loading…" />;
  if (!state)
    return (
      <LoginPage
        onLoggedIn={(s) => {
          setSession(s);
          const next = new URLSearchParams(location.search).get('next');
          navigate(next?.startsWith('/') && !next.startsWith('//') ? next : '/', true);
        }}
      />
    );
  return (
    <SessionContext.Provider value={state}>
      <Shell path={path} />
    </SessionContext.Provider>
  );
}

function Shell({ path }: { path: string }) {
  return (
    <SessionContext.Consumer>
      {(s) => (
        <>
          <header className="top">
            <Link href="/" className="brand">
              Flowyte
            </Link>
            <nav aria-label="Main">
              <Link
                href="/"
                aria-current={path === '/' || path.startsWith('/integrations') ? 'page' : undefined}
              >
                Integrations
              </Link>
              <Link href="/agents" aria-current={path.startsWith('/agents') ? 'page' : undefined}>
                Agents
              </Link>
              {s!.isOwner && (
                <Link href="/keys" aria-current={path === '/keys' ? 'page' : undefined}>
                  API keys
                </Link>
              )}
            </nav>
            <div className="who">
              {s!.session.organizations.length > 1 ? (
                <label>
                  <span className="sr-only">Organization</span>
                  <select value={s!.org.orgId} onChange={(e) => s!.chooseOrg(e.target.value)}>
                    {s!.session.organizations.map((o) => (
                      <option key={o.orgId} value={o.orgId}>
                        {o.orgName} ({o.role})
                      </option>
                    ))}
                  </select>
                </label>
              ) : (
                <span>
                  {s!.org.orgName} · {s!.org.role}
                </span>
              )}
              <span className="email">{s!.session.user.email}</span>
              <button type="button" className="secondary" onClick={s!.logout}>
                Log out
              </button>
            </div>
          </header>
          <main key={s!.org.orgId}>
            <Suspense fallback={<Spinner label="Loading…" />}>
              <Page path={path} />
            </Suspense>
          </main>
        </>
      )}
    </SessionContext.Consumer>
  );
}

function Page({ path }: { path: string }) {
  if (path === '/' || path === '/integrations' || path === '/login') return <IntegrationsPage />;
  let m = match('/integrations/:kind', path);
  if (m) return <IntegrationPage kind={m.kind} />;
  if (path === '/agents') return <AgentsPage />;
  m = match('/agents/:id', path);
  if (m) return <AgentPage id={m.id} />;
  if (path === '/keys') return <KeysPage />;
  return (
    <section>
      <h1>Not found</h1>
      <p>
        Nothing lives at <code>{path}</code>. <Link href="/">Back to integrations</Link>
      </p>
    </section>
  );
}
