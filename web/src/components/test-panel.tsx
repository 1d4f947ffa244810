/**
 * Try a tool: a form built from its JSON Schema, invoked against the draft or the live version,
 * with the result and the latency (server-measured and round trip).
 */
import { useState } from 'react';
import { api } from '../api.ts';
import { ErrorNote, useAction } from '../controls.tsx';
import type { JsonSchema } from '../types.ts';
import { SchemaForm, toArguments } from './schema-form.tsx';

export interface InvokeResult {
  result: unknown;
  durationMs: number;
}

export type Invoke = (name: string, args: Record<string, unknown>, draft: boolean) => Promise<InvokeResult>;

interface Props {
  agentId: string;
  tool: { name: string; parametersSchema: JsonSchema; isWrite?: boolean };
  hasLive: boolean;
  invoke?: Invoke;
}

export function TestPanel({ agentId, tool, hasLive, invoke }: Props) {
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [draft, setDraft] = useState(!hasLive);
  const [confirmed, setConfirmed] = useState(false);
  const [out, setOut] = useState<(InvokeResult & { roundTripMs: number }) | null>(null);
  const call: Invoke =
    invoke ??
    ((name, args, d) =>
      api<InvokeResult>('POST', `/agents/${agentId}/tools/${encodeURIComponent(name)}/invoke`, {
        arguments: args,
        draft: d,
        ...(confirmed ? { confirmed: true } : {}),
      }));
  const run = useAction(async () => {
    setOut(null);
    const args = toArguments(tool.parametersSchema, values);
    const started = performance.now();
    const r = await call(tool.name, args, draft);
    setOut({ ...r, roundTripMs: performance.now() - started });
  });
  return (
    <form
      className="card stack test-panel"
      aria-label={`Test ${tool.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        void run.run();
      }}
    >
      <h3>
        Test <code>{tool.name}</code>
      </h3>
      <SchemaForm schema={tool.parametersSchema} values={values} onChange={setValues} />
      <fieldset>
        <legend>Version</legend>
        <label className="inline">
          <input type="radio" name={`v-${tool.name}`} checked={draft} onChange={() => setDraft(true)} /> Draft
        </label>
        <label className="inline">
          <input
            type="radio"
            name={`v-${tool.name}`}
            checked={!draft}
            disabled={!hasLive}
            onChange={() => setDraft(false)}
          />{' '}
          Live{!hasLive && ' (nothing published yet)'}
        </label>
      </fieldset>
      {tool.isWrite && (
        <label className="inline">
          <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} /> The
          caller confirmed this write
        </label>
      )}
      <button type="submit" disabled={run.busy}>
        {run.busy ? 'Running…' : 'Run'}
      </button>
      <ErrorNote error={run.error} />
      {out && (
        <section aria-label="Result">
          <p className="muted">
            Took {Math.round(out.durationMs)} ms on the server, {Math.round(out.roundTripMs)} ms round trip.
          </p>
          <pre>{JSON.stringify(out.result, null, 2)}</pre>
        </section>
      )}
    </form>
  );
}
