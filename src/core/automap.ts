/** Auto-map: a plain-language goal → a binding (placeholder until the matcher lands). */
import { AppError } from '../errors.ts';
import type { Bindings } from './bindings.ts';
import type { Discovery } from './discovery.ts';

export class Automap {
  constructor(
    private readonly bindings: Bindings,
    private readonly discovery: Discovery,
  ) {}

  async create(_orgId: string, _agentId: string, _kind: string, _body: { goal: string; enabled?: boolean }): Promise<any> {
    void this.bindings;
    void this.discovery;
    throw new AppError('goal_not_mappable', 'not yet');
  }
}
