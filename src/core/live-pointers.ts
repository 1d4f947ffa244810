/**
 * Which version of an agent is live, cached per instance so serving a tool list or an invocation
 * costs no store read. Publish, rollback and delete announce the change on the store's change feed,
 * which every instance listens to; a short lifetime bounds staleness should a notification be lost.
 */
import { AppError } from '../errors.ts';
import { getAgent } from '../store/agents.ts';
import type { ChangeFeed } from '../store/change-feed.ts';
import type { Store } from '../store/db.ts';

interface Pointer {
  orgId: string;
  liveVersionId: string | null;
  fetchedAt: number;
}

const MAX_AGE_MS = 5_000;
const MAX_ENTRIES = 10_000;

export class LivePointers {
  private cache = new Map<string, Pointer>();
  /** Bumped on every change, so a read that raced a change is not cached. */
  private generation = 0;

  constructor(
    private readonly store: Store,
    private readonly feed: ChangeFeed,
  ) {
    feed.subscribe((agentId) => {
      this.generation++;
      if (agentId === null) this.cache.clear();
      else this.cache.delete(agentId);
    });
  }

  /** The live version id of an agent of this organization; 404 for anyone else's agent. */
  async liveVersionId(orgId: string, agentId: string): Promise<string | null> {
    const now = Date.now();
    let p = this.cache.get(agentId);
    if (!p || now - p.fetchedAt > MAX_AGE_MS) {
      const generation = this.generation;
      const row = await getAgent(this.store, orgId, agentId);
      if (!row) throw new AppError('not_found', `no agent ${agentId.slice(0, 64)}`);
      p = { orgId: row.org_id, liveVersionId: row.live_version_id, fetchedAt: now };
      if (generation === this.generation) {
        if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
        this.cache.set(agentId, p);
      }
    }
    if (p.orgId !== orgId) throw new AppError('not_found', `no agent ${agentId.slice(0, 64)}`);
    return p.liveVersionId;
  }

  /** Called after a write that moves or removes the live version. */
  changed(agentId: string): Promise<void> {
    this.generation++;
    this.cache.delete(agentId);
    return this.feed.agentChanged(agentId);
  }
}
