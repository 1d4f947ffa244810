/** The organization's agents, and a form to create one. */
import { useState } from 'react';
import { api, apiPage } from '../api.ts';
import { ErrorNote, Spinner, useAction, useLoad, when } from '../controls.tsx';
import { Link, navigate } from '../router.tsx';
import type { Agent } from '../types.ts';

export default function AgentsPage() {
  const agents = useLoad(() => apiPage<Agent>('/agents?limit=200'), []);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useAction(async () => {
    const a = await api<Agent>('POST', '/agents', { name, ...(description ? { description } : {}) });
    navigate(`/agents/${a.id}`);
  });
  return (
    <section>
      <h1>Agents</h1>
      <form
        className="card row"
        onSubmit={(e) => {
          e.preventDefault();
          void create.run();
        }}
      >
        <label>
          Name
          <input required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="grow">
          Description
          <input value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <button type="submit" disabled={create.busy}>
          Create agent
        </button>
        <ErrorNote error={create.error} />
      </form>
      <ErrorNote error={agents.error} />
      {agents.loading && !agents.data && <Spinner label="Loading agents…" />}
      {agents.data && agents.data.data.length === 0 && <p className="muted">No agents yet.</p>}
      <ul className="list">
        {agents.data?.data.map((a) => (
          <li key={a.id}>
            <Link href={`/agents/${a.id}`}>{a.name}</Link> <span className="muted">{a.description}</span>{' '}
            <span className={`badge ${a.liveVersionId ? 'status-connected' : ''}`}>
              {a.liveVersionId ? 'live' : 'draft only'}
            </span>{' '}
            <span className="muted">updated {when(a.updatedAt)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
