/** Publishing the draft (with a note), the versions, a diff against the draft, and rollback. */
import { useState } from 'react';
import { api, apiPage } from '../api.ts';
import { ErrorNote, useAction, useLoad, when } from '../controls.tsx';
import type { Version } from '../types.ts';

interface Diff {
  versionNumber: number;
  added: { name: string }[];
  removed: { name: string }[];
  changed: { name: string; fields: { field: string; from: unknown; to: unknown }[] }[];
  identical: boolean;
}

interface Props {
  agentId: string;
  liveVersionId: string | null;
  refresh: number;
  onChanged: () => void;
}

export function Versions({ agentId, liveVersionId, refresh, onChanged }: Props) {
  const versions = useLoad(
    () => apiPage<Version>(`/agents/${agentId}/versions?limit=50`),
    [agentId, refresh],
  );
  const [note, setNote] = useState('');
  const [diff, setDiff] = useState<Diff | null>(null);
  const publish = useAction(async () => {
    await api('POST', `/agents/${agentId}/publish`, note ? { note } : {});
    setNote('');
    onChanged();
  });
  const showDiff = useAction(async (id: string) =>
    setDiff(await api<Diff>('GET', `/agents/${agentId}/versions/${id}/diff`)),
  );
  const rollback = useAction(async (id: string) => {
    await api('POST', `/agents/${agentId}/rollback`, { versionId: id });
    onChanged();
  });
  return (
    <>
      <h2>Publish</h2>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void publish.run();
        }}
      >
        <label className="grow">
          Note for this version
          <input
            value={note}
            maxLength={500}
            onChange={(e) => setNote(e.target.value)}
            placeholder="what changed"
          />
        </label>
        <button type="submit" disabled={publish.busy}>
          Publish draft
        </button>
      </form>
      <ErrorNote error={publish.error} />
      <h2>Versions</h2>
      <ErrorNote error={versions.error ?? rollback.error ?? showDiff.error} />
      {versions.data?.data.length === 0 && <p className="muted">Nothing published yet.</p>}
      <ul className="list" aria-label="Versions">
        {versions.data?.data.map((v) => (
          <li key={v.id}>
            <strong>v{v.number}</strong>{' '}
            {v.id === liveVersionId && <span className="badge status-connected">live</span>}{' '}
            {v.note && <span>“{v.note}”</span>}{' '}
            <span className="muted">
              {v.skillCount} skills · {when(v.publishedAt)}
            </span>{' '}
            <button type="button" className="secondary" onClick={() => void showDiff.run(v.id)}>
              Diff with draft
            </button>{' '}
            {v.id !== liveVersionId && (
              <button type="button" className="secondary" onClick={() => void rollback.run(v.id)}>
                Roll back to v{v.number}
              </button>
            )}
          </li>
        ))}
      </ul>
      {diff && (
        <section className="card" aria-label="Diff">
          <h3>v{diff.versionNumber} → draft</h3>
          {diff.identical ? (
            <p>The draft is identical to this version.</p>
          ) : (
            <ul>
              {diff.added.map((s) => (
                <li key={`+${s.name}`} className="ok">
                  + {s.name}
                </li>
              ))}
              {diff.removed.map((s) => (
                <li key={`-${s.name}`} className="fail">
                  − {s.name}
                </li>
              ))}
              {diff.changed.map((s) => (
                <li key={`~${s.name}`}>
                  ~ {s.name}: {s.fields.map((f) => f.field).join(', ')}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </>
  );
}
