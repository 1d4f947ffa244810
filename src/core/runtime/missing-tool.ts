/**
 * Why a tool an agent runtime asked for is not served, in words that say what to do: the most
 * common first-hour miss is a skill enabled on the draft that was never published.
 */
import { AppError } from '../../errors.ts';
import type { SkillsTable } from '../../store/schema.ts';
import type { ToolTable } from './tool-table.ts';

const LISTED = 10;

export function missingToolError(
  agentId: string,
  name: string,
  table: ToolTable,
  draftRows: SkillsTable[],
  servingDraft: boolean,
): AppError {
  const shown = name.slice(0, 64);
  const draft = draftRows.find((r) => r.name === name);
  if (draft && draft.is_enabled !== 1) {
    return new AppError(
      'not_found',
      `the skill ${shown} is disabled; enable it (PATCH /api/v1/agents/${agentId}/skills/${draft.id} with { "isEnabled": true })${servingDraft ? '' : ' and publish the agent'}`,
    );
  }
  if (draft && !servingDraft) {
    const live = table.versionNumber === null ? 'the live version' : `live version ${table.versionNumber}`;
    return new AppError(
      'not_found',
      `the skill ${shown} is enabled on the draft but not in ${live}; publish the agent (POST /api/v1/agents/${agentId}/publish) to serve it, or call with "draft": true to try it first`,
    );
  }
  const names = [...table.tools.keys()];
  const offered = names.length
    ? `; its ${servingDraft ? 'draft' : 'live'} tools are ${names.slice(0, LISTED).join(', ')}${names.length > LISTED ? ', …' : ''}`
    : `; it serves no tool yet (GET /api/v1/agents/${agentId}/tools lists them)`;
  return new AppError('not_found', `the agent has no enabled tool named ${shown}${offered}`);
}
