/**
 * Prototype poisoning in JSON text: a `__proto__` or `constructor.prototype` key. Such a key is
 * spelt out in the text, or escaped (which needs a backslash): text with neither cannot hold one,
 * so the walk over the parsed value (secure-json-parse's scan) is skipped for nearly every body.
 */
import sjson from 'secure-json-parse';

export const mayHoldPoison = (text: string): boolean =>
  text.includes('__proto__') || text.includes('constructor') || text.includes('\\');

/**
 * `value`, parsed from `text`, with poisoning keys handled as `action` says: `error` throws
 * (SyntaxError), `remove` deletes them in place.
 */
export function guardPoison<T>(value: T, text: string, action: 'error' | 'remove'): T {
  if (value !== null && typeof value === 'object' && mayHoldPoison(text))
    sjson.scan(value, { protoAction: action, constructorAction: action });
  return value;
}
