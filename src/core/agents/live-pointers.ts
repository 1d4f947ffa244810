/**
 * Which version of an agent is live, cached so serving a tool list or an invocation costs no store
 * read. Publish, rollback and delete drop the entry here and, through the store's change feed, on
 * every instance sharing a PostgreSQL store (a notification, delivered within milliseconds). An
 * entry is trusted only while the feed is live, and for at most MAX_AGE_MS whatever it heard: a
 * change made where no notification was sent, or one lost with a dropped connection, is served
 * within a second (SPEC: every instance serves a new version within 1 s).
 */
import { AppError } from '../../errors.ts';
import { getAgent } from '../../store/agents.ts';
import type { Store } from '../../store/db.ts';
import { FeedCache } from '../shared/index.ts';

interface Pointer {
  orgId: string;
  liveVersionId: string | null;
}

const MAX_AGE_MS = 1_000;
const TOPIC = 'live:';

const noAgent = (agentId: string) =>
  new AppError(
    'not_found',
    `there is no agent ${agentId.slice(0, 64)} in this organization; GET /api/v1/agents lists them`,
  );

export class LivePointers {
  private readonly pointers: FeedCache<Pointer>;

  constructor(private readonly store: Store) {
    this.pointers = new FeedCache(store, 'livePointers', TOPIC, MAX_AGE_MS);
  }

  /** The live version id of an agent of this organization; 404 for anyone else's agent. */
  async liveVersionId(orgId: string, agentId: string): Promise<string | null> {
    const p = await this.pointers.get(agentId, '', async () => {
      const row = await getAgent(this.store, orgId, agentId);
      if (!row) throw noAgent(agentId);
      return { orgId: row.org_id, liveVersionId: row.live_version_id };
    });
    if (p.orgId !== orgId) throw noAgent(agentId);
    return p.liveVersionId;
  }

  /**
   * Called after a write that moves or removes the live version has committed. Never throws: the
   * write happened, and an instance that misses the notification still reads afresh within 1 s.
   */
  changed(agentId: string): Promise<void> {
    return this.pointers.changed(agentId);
  }
}
