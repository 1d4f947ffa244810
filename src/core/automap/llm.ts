/**
 * The optional language model behind auto-map (SPEC §7): given the goal and the candidates the
 * built-in vocabulary found and the binder accepted, an OpenAI-compatible chat endpoint picks the
 * one that fits best. It only ever chooses among valid bindings — it cannot invent one — and any
 * failure (unreachable, slow, an answer that is not a valid choice) leaves the built-in order.
 * What it is sent: the goal and schema names. Never rows, values or credentials.
 */
import { request } from 'undici';
import type { Candidate } from './candidates.ts';

export interface LlmSettings {
  /** Base URL of an OpenAI-compatible API, e.g. https://api.openai.com/v1. */
  url: string;
  model: string;
  apiKey: string | null;
  timeoutMs: number;
}

export interface LlmChoice {
  /** Index into the candidates given. */
  index: number;
  why: string;
}

/** The most candidates a model is shown; the rest stay alternatives in their built-in order. */
export const LLM_MAX_CANDIDATES = 6;

const SYSTEM = [
  'You map a business goal for a phone or chat agent onto one database operation.',
  'You are given the goal and numbered candidate bindings, all valid.',
  'Answer with JSON only: {"choice": <number of the best candidate>, "why": "<one short sentence>"}.',
].join(' ');

function describe(c: Candidate, n: number): string {
  const b = c.body;
  const parts = [`${n}. operation ${b.operation} (tool ${b.toolName})`];
  if (b.inputs?.length)
    parts.push(`looks up by ${b.inputs.map((i) => `${i.arg} from ${i.param}`).join(', ')}`);
  if (b.inputObjectMap?.length) {
    parts.push(`writes ${b.inputObjectMap.map((m) => m.field).join(', ')}`);
    if (b.keyColumn) parts.push(`for the row whose ${b.keyColumn} matches`);
  }
  if (b.projection?.length)
    parts.push(`returns ${b.projection.map((p) => p.as ?? p.path.join('.')).join(', ')}`);
  return `${parts.join('; ')}. ${c.explanation.join(' ')}`;
}

/** The model's choice, or null whenever it cannot give a usable one. */
export async function chooseWithLlm(
  settings: LlmSettings,
  goal: string,
  candidates: Candidate[],
): Promise<LlmChoice | null> {
  const shown = candidates.slice(0, LLM_MAX_CANDIDATES);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;
  try {
    const res = await request(`${settings.url.replace(/\/+$/, '')}/chat/completions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        model: settings.model,
        temperature: 0,
        response_format: { type: 'json_object' },
        messages: [
          { role: 'system', content: SYSTEM },
          {
            role: 'user',
            content: `Goal: ${goal}\n\nCandidates:\n${shown.map((c, i) => describe(c, i + 1)).join('\n')}`,
          },
        ],
      }),
      // One bound for the whole exchange, connecting included; auto-map is not on a call's hot path.
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) return null;
    const content = JSON.parse(text)?.choices?.[0]?.message?.content;
    const answer = typeof content === 'string' ? JSON.parse(content) : null;
    const n = Number(answer?.choice);
    if (!Number.isInteger(n) || n < 1 || n > shown.length) return null;
    const why = typeof answer.why === 'string' ? answer.why.trim().slice(0, 300) : '';
    return { index: n - 1, why };
  } catch {
    return null;
  }
}
