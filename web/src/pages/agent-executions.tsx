/** What the agent's tools did: newest first, filtered by tool, outcome and conversation. */
import { useState } from 'react';
import { apiPage } from '../api.ts';
import { ErrorNote, useLoad, when } from '../controls.tsx';
import type { Execution } from '../types.ts';

export function Executions({
  agentId,
  tools,
  refresh,
}: {
  agentId: string;
  tools: string[];
  refresh: number;
}) {
  const [tool, setTool] = useState('');
  const [outcome, setOutcome] = useState('');
  const [conversation, setConversation] = useState('');
  const q = new URLSearchParams({ limit: '50' });
  if (tool) q.set('tool', tool);
  if (outcome) q.set('outcome', outcome);
  if (conversation.trim()) q.set('conversationId', conversation.trim());
  const list = useLoad(
    () => apiPage<Execution>(`/agents/${agentId}/executions?${q}`),
    [agentId, q.toString(), refresh],
  );
  return (
    <>
      <h2>Executions</h2>
      <div className="row">
        <label>
          Tool
          <select value={tool} onChange={(e) => setTool(e.target.value)}>
            <option value="">any</option>
            {tools.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Outcome
          <select value={outcome} onChange={(e) => setOutcome(e.target.value)}>
            <option value="">any</option>
            <option value="ok">ok</option>
            <option value="error">error</option>
          </select>
        </label>
        <label>
          Conversation
          <input value={conversation} onChange={(e) => setConversation(e.target.value)} />
        </label>
        <button type="button" className="secondary" onClick={list.reload}>
          Refresh
        </button>
      </div>
      <ErrorNote error={list.error} />
      <table aria-label="Executions">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Tool</th>
            <th scope="col">Version</th>
            <th scope="col">Outcome</th>
            <th scope="col">Time</th>
            <th scope="col">Arguments</th>
          </tr>
        </thead>
        <tbody>
          {list.data?.data.map((x) => (
            <tr key={x.id}>
              <td>{when(x.createdAt)}</td>
              <td>
                <code>{x.skillName}</code>
              </td>
              <td>{x.version?.number ? `v${x.version.number}` : 'draft'}</td>
              <td>
                <span className={`badge ${x.outcome === 'ok' ? 'status-connected' : 'write'}`}>
                  {x.outcome}
                  {x.errorCode && `: ${x.errorCode}`}
                </span>
              </td>
              <td>{Math.round(x.durationMs)} ms</td>
              <td>
                <code>{JSON.stringify(x.arguments)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.data?.data.length === 0 && <p className="muted">No executions match.</p>}
    </>
  );
}
