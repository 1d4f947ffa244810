/** Inputs for a tool's JSON Schema parameters: text, numbers, booleans, choices; JSON for the rest. */
import { useId } from 'react';
import type { JsonSchema } from '../types.ts';

const typeOf = (s: JsonSchema): string =>
  Array.isArray(s.type) ? (s.type.find((t) => t !== 'null') ?? 'string') : (s.type ?? 'string');

const nullable = (s: JsonSchema) => Array.isArray(s.type) && s.type.includes('null');

/**
 * Form values (strings and booleans) → the arguments object. An empty field is left out, or sent as
 * null when the schema requires it but allows null (strict tool schemas spell optional that way).
 */
export function toArguments(
  schema: JsonSchema,
  values: Record<string, string | boolean>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const v = values[name];
    if (v === undefined || v === '') {
      if (schema.required?.includes(name) && nullable(prop)) out[name] = null;
      continue;
    }
    const t = typeOf(prop);
    if (t === 'boolean') out[name] = v === true;
    else if (t === 'integer' || t === 'number') out[name] = Number(v);
    else if (t === 'object' || t === 'array') {
      try {
        out[name] = JSON.parse(String(v));
      } catch {
        throw new Error(`${name} must be JSON`);
      }
    } else out[name] = v;
  }
  return out;
}

export function SchemaForm({
  schema,
  values,
  onChange,
}: {
  schema: JsonSchema;
  values: Record<string, string | boolean>;
  onChange: (v: Record<string, string | boolean>) => void;
}) {
  const base = useId();
  const props = Object.entries(schema.properties ?? {});
  if (props.length === 0) return <p className="muted">This tool takes no arguments.</p>;
  return (
    <div className="stack">
      {props.map(([name, prop]) => {
        const id = `${base}-${name}`;
        const required = (schema.required?.includes(name) ?? false) && !nullable(prop);
        const t = typeOf(prop);
        const set = (v: string | boolean) => onChange({ ...values, [name]: v });
        const label = (
          <label htmlFor={id}>
            {name}
            {required && <abbr title="required"> *</abbr>} <span className="muted">{t}</span>
          </label>
        );
        const help = prop.description && <small className="muted">{prop.description}</small>;
        if (t === 'boolean')
          return (
            <div key={name}>
              <input
                id={id}
                type="checkbox"
                checked={values[name] === true}
                onChange={(e) => set(e.target.checked)}
              />{' '}
              {label}
              {help}
            </div>
          );
        if (prop.enum)
          return (
            <div key={name}>
              {label}
              <select
                id={id}
                required={required}
                value={String(values[name] ?? '')}
                onChange={(e) => set(e.target.value)}
              >
                <option value="">—</option>
                {prop.enum.map((o) => (
                  <option key={String(o)}>{String(o)}</option>
                ))}
              </select>
              {help}
            </div>
          );
        const multi = t === 'object' || t === 'array';
        const inputType =
          t === 'integer' || t === 'number' ? 'number' : prop.format === 'email' ? 'email' : 'text';
        return (
          <div key={name}>
            {label}
            {multi ? (
              <textarea
                id={id}
                required={required}
                value={String(values[name] ?? '')}
                onChange={(e) => set(e.target.value)}
                placeholder="JSON"
              />
            ) : (
              <input
                id={id}
                type={inputType}
                step={t === 'number' ? 'any' : undefined}
                required={required}
                maxLength={prop.maxLength}
                value={String(values[name] ?? '')}
                onChange={(e) => set(e.target.value)}
              />
            )}
            {help}
          </div>
        );
      })}
    </div>
  );
}
