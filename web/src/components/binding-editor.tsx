/**
 * Binding editor: pick a discovered operation, map its arguments onto the tool's parameters, choose
 * the fields the tool returns, and save it as a draft skill. The server validates the binding against
 * the scoped schema; its errors are shown by the form. The preview is the exact request sent.
 */
import { useId, useMemo, useState } from 'react';
import { api } from '../api.ts';
import { ErrorNote, useAction, useLoad } from '../controls.tsx';
import type { Operation, Schema, Skill } from '../types.ts';

export interface BindingBody {
  toolName: string;
  description?: string;
  operation: string;
  inputs: { param: string; arg: string }[];
  projection?: { path: string[]; as?: string }[];
  isWrite: boolean;
  enabled: boolean;
}

/** The bind answer: the Skill itself, with the accepted binding and the output shape as fields. */
export type SavedBinding = Skill & {
  compiled: { kind: string; outputs: { name: string; type: string }[] };
};

interface Props {
  agentId: string;
  kinds: string[];
  onSaved?: (r: SavedBinding) => void;
  /** Replace the API calls (tests). */
  loadSchema?: (kind: string) => Promise<Schema>;
  save?: (kind: string, body: BindingBody) => Promise<SavedBinding>;
}

const snake = (s: string) =>
  s
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase()
    .slice(0, 64);

export function BindingEditor({ agentId, kinds, onSaved, loadSchema, save }: Props) {
  const [chosenKind, setKind] = useState('');
  // The kinds may arrive after the first render: until one is chosen, the first is meant.
  const kind = kinds.includes(chosenKind) ? chosenKind : (kinds[0] ?? '');
  const schema = useLoad(
    async () =>
      kind ? (loadSchema ?? ((k: string) => api<Schema>('GET', `/integrations/${k}/schema`)))(kind) : null,
    [kind],
  );
  const ids = { kind: useId(), op: useId(), filter: useId() };
  const [filter, setFilter] = useState('');
  const [opName, setOpName] = useState('');
  const [toolName, setToolName] = useState('');
  const [description, setDescription] = useState('');
  const [params, setParams] = useState<Record<string, string>>({});
  const [fields, setFields] = useState<string[]>([]);
  const [enabled, setEnabled] = useState(true);
  const [saved, setSaved] = useState<SavedBinding | null>(null);

  const ops = schema.data?.operations ?? [];
  const op: Operation | undefined = ops.find((o) => o.name === opName);
  const shown = useMemo(
    () => ops.filter((o) => !filter || o.name.toLowerCase().includes(filter.toLowerCase())),
    [ops, filter],
  );
  const returned = op?.returns ? schema.data?.objects.find((o) => o.name === op.returns) : undefined;

  const pick = (name: string) => {
    const next = ops.find((o) => o.name === name);
    setOpName(name);
    setToolName(snake(name.replace('.', '_')));
    setParams(Object.fromEntries((next?.args ?? []).filter((a) => a.required).map((a) => [a.name, a.name])));
    // A read must return something: start from every field of the object it returns.
    const object = next?.returns ? schema.data?.objects.find((o) => o.name === next.returns) : undefined;
    setFields(next?.kind === 'write' ? [] : (object?.fields.map((f) => f.name) ?? []));
    setSaved(null);
  };

  const body: BindingBody | null = op
    ? {
        toolName,
        ...(description ? { description } : {}),
        operation: op.name,
        inputs: Object.entries(params)
          .filter(([, param]) => param !== '')
          .map(([arg, param]) => ({ param, arg })),
        ...(fields.length ? { projection: fields.map((f) => ({ path: [f], as: f })) } : {}),
        isWrite: op.kind === 'write',
        enabled,
      }
    : null;

  const submit = useAction(async () => {
    if (!body) return;
    const r = await (
      save ??
      ((k: string, b: BindingBody) =>
        api<SavedBinding>('POST', `/agents/${agentId}/integrations/${k}/bindings`, b))
    )(kind, body);
    setSaved(r);
    onSaved?.(r);
  });

  if (kinds.length === 0)
    return <p className="muted">Discover a connected integration to bind its operations.</p>;
  return (
    <form
      className="card stack binding-editor"
      aria-label="Binding editor"
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run();
      }}
    >
      <div className="row">
        <span>
          <label htmlFor={ids.kind}>Integration</label>
          <select
            id={ids.kind}
            value={kind}
            onChange={(e) => {
              setKind(e.target.value);
              setOpName('');
            }}
          >
            {kinds.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </span>
        <span>
          <label htmlFor={ids.filter}>Filter operations</label>
          <input id={ids.filter} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
        </span>
        <span className="grow">
          <label htmlFor={ids.op}>Operation</label>
          <select id={ids.op} required value={opName} onChange={(e) => pick(e.target.value)}>
            <option value="">Choose an operation…</option>
            {shown.map((o) => (
              <option key={o.name} value={o.name}>
                {o.name} ({o.kind})
              </option>
            ))}
          </select>
        </span>
      </div>
      <ErrorNote error={schema.error} />
      {op && (
        <>
          <div className="row">
            <label>
              Tool name
              <input required value={toolName} maxLength={64} onChange={(e) => setToolName(e.target.value)} />
            </label>
            <label className="grow">
              Description (optional; generated when empty)
              <input value={description} onChange={(e) => setDescription(e.target.value)} />
            </label>
          </div>
          <fieldset>
            <legend>Parameters: which tool parameter fills each argument</legend>
            {op.args.length === 0 && <p className="muted">This operation takes no arguments.</p>}
            {op.args.map((a) => (
              <label key={a.name}>
                {a.name}{' '}
                <span className="muted">
                  {a.type}
                  {a.required ? ', required' : ', optional: leave empty to omit'}
                </span>
                <input
                  value={params[a.name] ?? ''}
                  required={a.required}
                  onChange={(e) => setParams({ ...params, [a.name]: e.target.value })}
                />
              </label>
            ))}
          </fieldset>
          {returned && op.kind !== 'write' && (
            <fieldset>
              <legend>Returned fields</legend>
              <div className="checks">
                {returned.fields.map((f) => (
                  <label key={f.name} className="inline">
                    <input
                      type="checkbox"
                      checked={fields.includes(f.name)}
                      onChange={(e) =>
                        setFields(e.target.checked ? [...fields, f.name] : fields.filter((x) => x !== f.name))
                      }
                    />{' '}
                    {f.name} {f.pii && <span className="badge pii">PII</span>}
                  </label>
                ))}
              </div>
            </fieldset>
          )}
          <label className="inline">
            <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Enabled
            in the draft
          </label>
          <details>
            <summary>Preview the request</summary>
            <pre>{JSON.stringify(body, null, 2)}</pre>
          </details>
          <ErrorNote error={submit.error} />
          <button type="submit" disabled={submit.busy}>
            Save as draft skill
          </button>
          {saved && (
            <p className="success" role="status">
              Saved <code>{saved.name}</code>; it returns{' '}
              {saved.compiled.outputs.map((o) => `${o.name} (${o.type})`).join(', ') || 'nothing'}.
            </p>
          )}
        </>
      )}
    </form>
  );
}
