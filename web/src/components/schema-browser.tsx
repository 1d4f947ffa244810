/**
 * The discovered schema, browsable: search objects and fields, see types and PII classes, the
 * relationships and operations of the chosen object. Optional: a "hide" toggle per object (scoping).
 */
import { useId, useMemo, useState } from 'react';
import type { Schema } from '../types.ts';

interface Props {
  schema: Schema;
  /** When given, each object offers to hide it from agents (scoping). */
  onHide?: (object: string) => void;
  /** When given, each field offers to hide it ("object.field"). */
  onHideField?: (object: string, field: string) => void;
}

export function SchemaBrowser({ schema, onHide, onHideField }: Props) {
  const [q, setQ] = useState('');
  const [picked, setPicked] = useState<string | null>(null);
  const searchId = useId();
  const needle = q.trim().toLowerCase();
  const objects = useMemo(
    () =>
      schema.objects.filter(
        (o) =>
          !needle ||
          o.name.toLowerCase().includes(needle) ||
          o.label.toLowerCase().includes(needle) ||
          o.fields.some((f) => f.name.toLowerCase().includes(needle)),
      ),
    [schema, needle],
  );
  const current = schema.objects.find((o) => o.name === picked) ?? objects[0] ?? null;
  const rels = current
    ? schema.relationships.filter((r) => r.from.object === current.name || r.to.object === current.name)
    : [];
  const ops = current ? schema.operations.filter((o) => o.object === current.name) : [];

  return (
    <div className="schema">
      <div className="schema-list">
        <label htmlFor={searchId}>Search objects and fields</label>
        <input
          id={searchId}
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder="e.g. email"
        />
        <p className="muted">
          {objects.length} of {schema.objects.length} objects
        </p>
        <ul aria-label="Objects">
          {objects.map((o) => (
            <li key={o.name}>
              <button
                type="button"
                className={o.name === current?.name ? 'object selected' : 'object'}
                aria-pressed={o.name === current?.name}
                onClick={() => setPicked(o.name)}
              >
                {o.label} <span className="muted">{o.kind}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
      {current && (
        <section className="schema-detail" aria-label={`Object ${current.name}`}>
          <header className="row spread">
            <h3>
              {current.label} <code>{current.name}</code>
            </h3>
            {onHide && (
              <button type="button" className="secondary" onClick={() => onHide(current.name)}>
                Hide from agents
              </button>
            )}
          </header>
          <p className="badges">
            {current.capabilities.map((c) => (
              <span key={c} className="badge">
                {c}
              </span>
            ))}
          </p>
          <table>
            <caption>Fields</caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Type</th>
                <th scope="col">Notes</th>
                {onHideField && <th scope="col">Agents</th>}
              </tr>
            </thead>
            <tbody>
              {current.fields.map((f) => (
                <tr
                  key={f.name}
                  className={needle && f.name.toLowerCase().includes(needle) ? 'hit' : undefined}
                >
                  <td>
                    <code>{f.name}</code>
                  </td>
                  <td>
                    {f.type}
                    {f.nativeType && f.nativeType !== f.type && (
                      <span className="muted"> ({f.nativeType})</span>
                    )}
                  </td>
                  <td className="badges">
                    {f.primaryKey && <span className="badge">primary key</span>}
                    {f.unique && !f.primaryKey && <span className="badge">unique</span>}
                    {f.nullable && <span className="badge muted">nullable</span>}
                    {f.pii && <span className="badge pii">PII: {f.pii}</span>}
                  </td>
                  {onHideField && (
                    <td>
                      <button
                        type="button"
                        className="secondary"
                        aria-label={`Hide ${current.name}.${f.name}`}
                        onClick={() => onHideField(current.name, f.name)}
                      >
                        Hide
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          <h4>Relationships</h4>
          {rels.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <ul>
              {rels.map((r) => (
                <li key={r.name}>
                  <code>
                    {r.from.object}.{r.from.fields.join(',')}
                  </code>{' '}
                  →{' '}
                  <code>
                    {r.to.object}.{r.to.fields.join(',')}
                  </code>{' '}
                  <span className="muted">{r.cardinality}</span>
                </li>
              ))}
            </ul>
          )}
          <h4>Operations</h4>
          {ops.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <ul>
              {ops.map((o) => (
                <li key={o.name}>
                  <code>{o.name}</code>{' '}
                  <span className={`badge ${o.kind === 'write' ? 'write' : ''}`}>{o.kind}</span>{' '}
                  <span className="muted">
                    ({o.args.map((a) => `${a.name}${a.required ? '' : '?'}: ${a.type}`).join(', ')})
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}
