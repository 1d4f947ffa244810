/** One agent: its draft skills, ways to add more, the test panel, publishing and executions. */
import { useState } from 'react';
import { api } from '../api.ts';
import { AutoMapBox } from '../components/automap-box.tsx';
import { BindingEditor } from '../components/binding-editor.tsx';
import { TestPanel } from '../components/test-panel.tsx';
import { ErrorNote, Spinner, useLoad } from '../controls.tsx';
import { Link } from '../router.tsx';
import type { Agent, CatalogItem, Connection, Skill } from '../types.ts';
import { AddSkills } from './agent-add-skills.tsx';
import { Executions } from './agent-executions.tsx';
import { SkillRow } from './agent-skill-row.tsx';
import { Versions } from './agent-versions.tsx';

export default function AgentPage({ id }: { id: string }) {
  const agent = useLoad(() => api<Agent>('GET', `/agents/${id}`), [id]);
  const skills = useLoad(() => api<Skill[]>('GET', `/agents/${id}/skills`), [id]);
  const env = useLoad(async () => {
    const [catalog, connections] = await Promise.all([
      api<CatalogItem[]>('GET', '/integrations/catalog'),
      api<Connection[]>('GET', '/integrations'),
    ]);
    return { catalog, connections };
  }, []);
  const [testing, setTesting] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const changed = () => {
    skills.reload();
    agent.reload();
    setTick((t) => t + 1);
  };

  if (agent.loading && !agent.data) return <Spinner label="Loading the agent…" />;
  if (!agent.data) return <ErrorNote error={agent.error} />;
  const a = agent.data;
  const discovered = (env.data?.connections ?? []).filter((c) => c.lastDiscoveredAt).map((c) => c.kind);
  const tool = skills.data?.find((s) => s.name === testing) ?? null;
  return (
    <section>
      <p>
        <Link href="/agents">← Agents</Link>
      </p>
      <h1>{a.name}</h1>
      {a.description && <p className="lead">{a.description}</p>}
      <p>
        <span className={`badge ${a.liveVersionId ? 'status-connected' : ''}`}>
          {a.liveVersionId ? 'live version published' : 'not published yet'}
        </span>
      </p>

      <h2>Draft skills</h2>
      <ErrorNote error={skills.error} />
      {skills.data?.length === 0 && <p className="muted">No skills yet: add some below.</p>}
      <ul className="skills">
        {skills.data?.map((s) => (
          <SkillRow key={s.id} agentId={id} skill={s} onChanged={changed} onTest={() => setTesting(s.name)} />
        ))}
      </ul>
      {tool && <TestPanel key={tool.id} agentId={id} tool={tool} hasLive={Boolean(a.liveVersionId)} />}

      <h2>Add skills</h2>
      {env.data && (
        <AddSkills
          agentId={id}
          catalog={env.data.catalog}
          connections={env.data.connections}
          onAdded={changed}
        />
      )}
      <h3>Auto-map a goal</h3>
      <AutoMapBox agentId={id} kinds={discovered} onMapped={changed} />
      <h3>Bind an operation yourself</h3>
      <BindingEditor agentId={id} kinds={discovered} onSaved={changed} />

      <Versions agentId={id} liveVersionId={a.liveVersionId} refresh={tick} onChanged={changed} />
      <Executions agentId={id} tools={(skills.data ?? []).map((s) => s.name)} refresh={tick} />
    </section>
  );
}
