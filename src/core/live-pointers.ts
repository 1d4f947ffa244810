/**
 * Which version of an agent is live. On the embedded store there is one process, so the pointer is
 * cached and publish, rollback and delete drop it in place: serving a tool list or an invocation
 * costs no store read. With a shared PostgreSQL store another instance may have published a moment
 * ago, so the pointer is read on every call (one primary-key read): "the next call serves the new
 * version" holds exactly, with no notification that could still be in flight.
 */

import { lruCache } from '../cache-limits.ts';
import { AppError } from '../errors.ts';
import { getAgent } from '../store/agents.ts';
import type { Store } from '../store/db.ts';

interface Pointer {
  orgId: string;
  liveVersionId: string | null;
}

export class LivePointers {
  private cache = lruCache<string, Pointer>('livePointers');
  /** Bumped on every change, so a read that raced a change is not cached. */
  private generation = 0;
  private readonly cached: boolean;

  constructor(private readonly store: Store) {
    this.cached = store.engine === 'sqlite';
  }

  /** The live version id of an agent of this organization; 404 for anyone else's agent. */
  async liveVersionId(orgId: string, agentId: string): Promise<string | null> {
    let p = this.cache.get(agentId);
    if (!p) {
      const generation = this.generation;
      const row = await getAgent(this.store, orgId, agentId);
      if (!row) throw new AppError('not_found', `no agent ${agentId.slice(0, 64)}`);
      p = { orgId: row.org_id, liveVersionId: row.live_version_id };
      if (this.cached && generation === this.generation) {
        this.cache.set(agentId, p);
      }
    }
    if (p.orgId !== orgId) throw new AppError('not_found', `no agent ${agentId.slice(0, 64)}`);
    return p.liveVersionId;
  }

  /** Called after a write that moves or removes the live version. */
  changed(agentId: string): void {
    this.generation++;
    this.cache.delete(agentId);
  }
}
