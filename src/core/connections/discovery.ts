/**
 * Discovery of a connected provider into the normalized schema, the operator's scoping on top of
 * it, and the searchable views the API serves. Scoping hides objects and fields everywhere below,
 * bindings included, so nothing blocked can be bound.
 */
import { AppError } from '../../errors.ts';
import type {
  NormalizedSchema,
  ProviderModule,
  SchemaObject,
  SchemaOperation,
} from '../../providers/types.ts';
import type { Store } from '../../store/db.ts';
import { getDiscoveredSchema, saveDiscoveredSchema, setScoping } from '../../store/discovered-schemas.ts';
import type { ConnectionsTable } from '../../store/schema.ts';
import { catalogOf } from '../automap/index.ts';
import type { Integrations } from './integrations.ts';
import { diffSchemas, type SchemaDiff } from './schema-diff.ts';
import { objectNames, operationNames, searchMatcher } from './schema-search.ts';

export interface Scoping {
  blockedObjects: string[];
  blockedFields: string[];
}

export interface DiscoverySummary {
  objectCount: number;
  fieldCount: number;
  edgeCount: number;
  operationCount: number;
  durationMs: number;
  discoveredAt: string;
  changes: SchemaDiff | null;
}

const EMPTY_SCOPING: Scoping = { blockedObjects: [], blockedFields: [] };

export function scopingOf(connection: ConnectionsTable): Scoping {
  return connection.scoping ? (JSON.parse(connection.scoping) as Scoping) : EMPTY_SCOPING;
}

/** The schema as the operator allows agents to see it. */
export function applyScoping(schema: NormalizedSchema, scoping: Scoping): NormalizedSchema {
  if (!scoping.blockedObjects.length && !scoping.blockedFields.length) return schema;
  const blockedObjects = new Set(scoping.blockedObjects);
  const blockedFields = new Set(scoping.blockedFields);
  const fieldHidden = (object: string, field: string) => blockedFields.has(`${object}.${field}`);
  const objects = schema.objects
    .filter((o) => !blockedObjects.has(o.name))
    .map((o) => ({ ...o, fields: o.fields.filter((f) => !fieldHidden(o.name, f.name)) }));
  const visible = new Set(objects.map((o) => o.name));
  const relationships = schema.relationships.filter(
    (r) =>
      visible.has(r.from.object) &&
      visible.has(r.to.object) &&
      !r.from.fields.some((f) => fieldHidden(r.from.object, f)) &&
      !r.to.fields.some((f) => fieldHidden(r.to.object, f)),
  );
  const operations = schema.operations.filter(
    (op) => visible.has(op.object) && !op.args.some((a) => fieldHidden(op.object, a.name)),
  );
  return { objects, relationships, operations };
}

const countFields = (s: NormalizedSchema) => s.objects.reduce((n, o) => n + o.fields.length, 0);

export class Discovery {
  /** Parsed schemas by connection id and discovery time: parsing a large schema once is enough. */
  private parsed = new Map<string, { at: string; schema: NormalizedSchema }>();
  /**
   * The scoped view of each parsed schema, one object per discovered version and scoping, so what
   * is built over it once (auto-map's index, automap-catalog.ts) is reused until either changes.
   */
  private scoped = new WeakMap<NormalizedSchema, { key: string; schema: NormalizedSchema }>();

  constructor(
    private readonly store: Store,
    private readonly integrations: Integrations,
  ) {}

  async discover(orgId: string, kind: string): Promise<DiscoverySummary> {
    const provider = this.integrations.provider(kind);
    if (!provider.discover) throw new AppError('validation_error', `${kind} has no schema to discover`);
    const { connection, credentials } = await this.integrations.credentials(orgId, kind);
    const previous = await this.stored(orgId, connection);
    const started = performance.now();
    let schema: NormalizedSchema;
    try {
      schema = await provider.discover(
        credentials,
        this.integrations.contextFor(orgId, connection, credentials),
      );
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw new AppError('provider_error', `discovery of ${kind} failed`, {
        extensions: { retryable: true },
      });
    }
    const durationMs = Math.round(performance.now() - started);
    const discoveredAt = new Date().toISOString();
    const summary: DiscoverySummary = {
      objectCount: schema.objects.length,
      fieldCount: countFields(schema),
      edgeCount: schema.relationships.length,
      operationCount: schema.operations.length,
      durationMs,
      discoveredAt,
      changes: previous ? diffSchemas(previous, schema) : null,
    };
    await saveDiscoveredSchema(this.store, {
      connection_id: connection.id,
      org_id: orgId,
      kind,
      schema: JSON.stringify(schema),
      summary: JSON.stringify(summary),
      discovered_at: discoveredAt,
    });
    this.parsed.set(connection.id, { at: discoveredAt, schema });
    // Auto-map's lexical index is built here, once per discovered schema, not on the first goal.
    catalogOf(this.scopedView(schema, scopingOf(connection)));
    return summary;
  }

  private async stored(orgId: string, connection: ConnectionsTable): Promise<NormalizedSchema | null> {
    const cached = this.parsed.get(connection.id);
    if (cached && cached.at === connection.last_discovered_at) return cached.schema;
    const row = await getDiscoveredSchema(this.store, orgId, connection.id);
    if (!row) return null;
    const schema = JSON.parse(row.schema) as NormalizedSchema;
    this.parsed.set(connection.id, { at: row.discovered_at, schema });
    return schema;
  }

  /** The discovered schema with scoping applied, or 404 not_discovered. */
  async scopedSchema(
    orgId: string,
    kind: string,
  ): Promise<{
    schema: NormalizedSchema;
    connection: ConnectionsTable;
    scoping: Scoping;
    provider: ProviderModule;
  }> {
    const provider = this.integrations.provider(kind);
    const connection = await this.integrations.connection(orgId, kind);
    if (!connection)
      throw new AppError(
        'integration_not_connected',
        `${kind} is not connected; connect it first with POST /api/v1/integrations/${kind}/connect`,
      );
    const full = await this.stored(orgId, connection);
    if (!full) throw new AppError('not_discovered', `run POST /integrations/${kind}/discover first`);
    const scoping = scopingOf(connection);
    return { schema: this.scopedView(full, scoping), connection, scoping, provider };
  }

  private scopedView(full: NormalizedSchema, scoping: Scoping): NormalizedSchema {
    const key = JSON.stringify(scoping);
    const hit = this.scoped.get(full);
    if (hit && hit.key === key) return hit.schema;
    const schema = applyScoping(full, scoping);
    this.scoped.set(full, { key, schema });
    return schema;
  }

  async objects(orgId: string, kind: string, q: string | undefined) {
    const { schema } = await this.scopedSchema(orgId, kind);
    const rels = new Map<string, number>();
    for (const r of schema.relationships) rels.set(r.from.object, (rels.get(r.from.object) ?? 0) + 1);
    const ops = new Map<string, number>();
    for (const op of schema.operations) ops.set(op.object, (ops.get(op.object) ?? 0) + 1);
    const matches = searchMatcher(q);
    return schema.objects
      .filter((o) => matches(objectNames(o)))
      .map((o: SchemaObject) => ({
        name: o.name,
        label: o.label,
        kind: o.kind,
        capabilities: o.capabilities,
        primaryKey: o.primaryKey,
        fieldCount: o.fields.length,
        relationshipCount: rels.get(o.name) ?? 0,
        operationCount: ops.get(o.name) ?? 0,
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async operations(
    orgId: string,
    kind: string,
    q: string | undefined,
    object: string | undefined,
  ): Promise<SchemaOperation[]> {
    const { schema } = await this.scopedSchema(orgId, kind);
    const matches = searchMatcher(q);
    return schema.operations
      .filter((op) => (!object || op.object === object) && matches(operationNames(op)))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Replaces the scoping; names must exist in the discovered schema, so a typo cannot leave data exposed. */
  async setScoping(orgId: string, kind: string, scoping: Scoping): Promise<Scoping> {
    this.integrations.provider(kind);
    const connection = await this.integrations.connection(orgId, kind);
    if (!connection)
      throw new AppError(
        'integration_not_connected',
        `${kind} is not connected; connect it first with POST /api/v1/integrations/${kind}/connect`,
      );
    const full = await this.stored(orgId, connection);
    if (!full) throw new AppError('not_discovered', `run POST /integrations/${kind}/discover first`);
    const objects = new Map(full.objects.map((o) => [o.name, o]));
    const errors = [
      ...scoping.blockedObjects
        .filter((o) => !objects.has(o))
        .map((o) => ({ field: 'blockedObjects', message: `no object "${o.slice(0, 128)}"` })),
      ...scoping.blockedFields
        .filter((f) => {
          const dot = f.lastIndexOf('.');
          return dot < 1 || !objects.get(f.slice(0, dot))?.fields.some((x) => x.name === f.slice(dot + 1));
        })
        .map((f) => ({
          field: 'blockedFields',
          message: `no field "${f.slice(0, 128)}" (use object.field)`,
        })),
    ];
    if (errors.length)
      throw new AppError('validation_error', 'the scoping names objects or fields that were not discovered', {
        errors,
      });
    const clean: Scoping = {
      blockedObjects: [...new Set(scoping.blockedObjects)],
      blockedFields: [...new Set(scoping.blockedFields)],
    };
    const empty = !clean.blockedObjects.length && !clean.blockedFields.length;
    await setScoping(this.store, orgId, connection.id, empty ? null : JSON.stringify(clean));
    return clean;
  }
}
