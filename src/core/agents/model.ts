/** The agent object of the API: this server's fields and Flowyte's (persona, languages, greeting, channels). */
import type { AgentsTable } from '../../store/schema.ts';

/** Flowyte's fields a skill-calling agent needs, kept with the draft and frozen with each version. */
export interface AgentProfile {
  persona: string | null;
  primaryLanguage: string;
  languages: string[];
  greeting: string | null;
  enabledChannels: string[];
}

export const PROFILE_FIELDS = [
  'persona',
  'primaryLanguage',
  'languages',
  'greeting',
  'enabledChannels',
] as const;

export const DEFAULT_PROFILE: AgentProfile = {
  persona: null,
  primaryLanguage: 'en',
  languages: ['en'],
  greeting: null,
  enabledChannels: ['voice', 'chat'],
};

/** The stored profile JSON (null for agents made before it existed) with the defaults filled in. */
export function profileOf(json: string | null | undefined): AgentProfile {
  return { ...DEFAULT_PROFILE, ...(json ? (JSON.parse(json) as Partial<AgentProfile>) : {}) };
}

export interface Agent extends AgentProfile {
  id: string;
  organizationId: string;
  name: string;
  description: string | null;
  /** The draft's revision (Flowyte's `version`): send it back in If-Match. */
  version: number;
  /** The live version (Flowyte's name); null before the first publish. */
  publishedVersionId: string | null;
  /** Same as `version` (this server's earlier name). */
  revision: number;
  /** Same as `publishedVersionId` (this server's earlier name). */
  liveVersionId: string | null;
  createdAt: string;
  updatedAt: string;
}

export const viewAgent = (a: AgentsTable): Agent => ({
  id: a.id,
  organizationId: a.org_id,
  name: a.name,
  description: a.description,
  version: a.revision,
  publishedVersionId: a.live_version_id,
  revision: a.revision,
  liveVersionId: a.live_version_id,
  ...profileOf(a.profile),
  createdAt: a.created_at,
  updatedAt: a.updated_at,
});

export type AgentInput = { name: string; description?: string | null } & Partial<AgentProfile>;
export type AgentPatch = Partial<AgentInput>;

/** The profile after applying the fields a body names (the others kept). */
export function withProfile(current: string | null | undefined, input: Partial<AgentProfile>): AgentProfile {
  const profile = profileOf(current);
  for (const f of PROFILE_FIELDS) if (input[f] !== undefined) (profile as any)[f] = input[f];
  if (
    input.primaryLanguage !== undefined &&
    input.languages === undefined &&
    !profile.languages.includes(profile.primaryLanguage)
  )
    profile.languages = [profile.primaryLanguage, ...profile.languages];
  return profile;
}
