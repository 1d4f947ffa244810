/**
 * Auto-map: a plain-language goal → a draft skill bound to the discovered schema. Shows why it chose
 * what it chose (explanation, confidence, alternatives), or, when nothing fits, the closest
 * candidates with the index that would make them usable.
 */
import { useId, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { ErrorNote, useAction } from '../controls.tsx';
import type { AutoMapResult } from '../types.ts';

export type MapGoal = (kind: string, goal: string) => Promise<AutoMapResult>;

interface Props {
  agentId: string;
  /** Connected kinds whose schema was discovered. */
  kinds: string[];
  onMapped?: (r: AutoMapResult) => void;
  /** Replaces the API call (tests). */
  mapGoal?: MapGoal;
}

interface Candidate {
  object?: string;
  field?: string;
  note?: string;
  createIndex?: string;
}

const describe = (alt: Record<string, unknown>): string =>
  String(alt.toolName ?? alt.operation ?? alt.name ?? JSON.stringify(alt));

export function AutoMapBox({ agentId, kinds, onMapped, mapGoal }: Props) {
  const [kind, setKind] = useState(kinds[0] ?? '');
  const [goal, setGoal] = useState('');
  const [result, setResult] = useState<AutoMapResult | null>(null);
  const ids = { goal: useId(), kind: useId() };
  const call: MapGoal =
    mapGoal ??
    ((k, g) =>
      api<AutoMapResult>('POST', `/agents/${agentId}/integrations/${k}/bindings/auto`, {
        goal: g,
        enabled: true,
      }));
  const map = useAction(async () => {
    setResult(null);
    const r = await call(kind || kinds[0], goal);
    setResult(r);
    onMapped?.(r);
  });
  const candidates =
    map.error instanceof ApiError && map.error.code === 'goal_not_mappable'
      ? ((map.error.problem.candidates as Candidate[] | undefined) ?? [])
      : [];

  if (kinds.length === 0)
    return <p className="muted">Connect a database and discover its schema to map goals onto it.</p>;
  return (
    <div className="automap">
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void map.run();
        }}
      >
        {kinds.length > 1 && (
          <span>
            <label htmlFor={ids.kind}>Integration</label>
            <select id={ids.kind} value={kind} onChange={(e) => setKind(e.target.value)}>
              {kinds.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
          </span>
        )}
        <span className="grow">
          <label htmlFor={ids.goal}>Goal</label>
          <input
            id={ids.goal}
            required
            maxLength={500}
            value={goal}
            onChange={(e) => setGoal(e.target.value)}
            placeholder="look customers up by last name"
          />
        </span>
        <button type="submit" disabled={map.busy}>
          {map.busy ? 'Mapping…' : 'Map goal'}
        </button>
      </form>
      <ErrorNote error={map.error} />
      {candidates.length > 0 && (
        <div className="card">
          <h4>Closest candidates</h4>
          <ul>
            {candidates.map((c) => (
              <li key={`${c.object}.${c.field ?? ''}:${c.note}`}>
                {c.note}
                {c.createIndex && <pre>{c.createIndex}</pre>}
              </li>
            ))}
          </ul>
        </div>
      )}
      {result && (
        <section className="card success" aria-label="Auto-map result">
          <p>
            Added <code>{result.skill.name}</code> to the draft.
          </p>
          <p>{result.explanation}</p>
          <p>
            <label>
              Confidence{' '}
              <meter min={0} max={1} value={result.confidence}>
                {Math.round(result.confidence * 100)}%
              </meter>{' '}
              {Math.round(result.confidence * 100)}%
            </label>{' '}
            <span className="muted">ranked by {result.rankedBy}</span>
          </p>
          {result.alternatives.length > 0 ? (
            <>
              <h4>Alternatives</h4>
              <ul>
                {result.alternatives.map((a) => (
                  <li key={describe(a)}>{describe(a)}</li>
                ))}
              </ul>
            </>
          ) : (
            <p className="muted">No alternatives: this was the only fit.</p>
          )}
        </section>
      )}
    </div>
  );
}
