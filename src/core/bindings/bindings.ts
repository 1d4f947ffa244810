/**
 * Bindings (SPEC §7): a discovered operation mapped onto a skill by the operator, validated against
 * the scoped schema before anything is stored, compiled once into a frozen statement kept with the
 * skill. The caller gets the skill, the accepted binding and the output shape, never the SQL.
 */
import { AppError } from '../../errors.ts';
import type { ProviderModule } from '../../providers/types.ts';
import type { SkillsTable } from '../../store/schema.ts';
import type { Agents } from '../agents/index.ts';
import { checkParametersSchema, type NewSkill } from '../agents/index.ts';
import type { Discovery } from '../connections/index.ts';
import type { Skill } from '../skills/index.ts';
import { TOOL_NAME } from '../skills/index.ts';
import type { BindingBody, BindingTarget, NormalizedBinding, PlanMode } from './model.ts';
import { buildParametersSchema } from './params.ts';
import type { BindingPlan, OutputShape } from './plan.ts';
import { SchemaIndex } from './resolve.ts';
import { validateWith } from './validate.ts';

export interface BindingResult {
  skill: Skill;
  binding: NormalizedBinding;
  compiled: { kind: string; outputs: OutputShape[] };
}

const words = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_\s]+/g, ' ')
    .trim()
    .toLowerCase();

/** Core's wording for its relational plans; a provider with its own binder words its own. */
function describePlan(plan: BindingPlan): string {
  const label = plan.object.label.toLowerCase();
  const returns = plan.outputs.map((o) => o.name).join(', ');
  if (plan.mode === 'read') {
    return `Look up ${label} records by ${words(plan.filter.field.name)} (exact match). Returns ${returns} for at most ${plan.rowCap} matches in "rows"; "truncated" is true when more matched, so ask the caller for something more specific.`;
  }
  const fields = plan.values.map((v) => words(v.field.name)).join(', ');
  if (plan.mode === 'insert') {
    return `Create one new ${label} record with ${fields}. Read the details back to the caller and call only once they confirm. Returns ${returns} of the new record.`;
  }
  return `Change ${fields} of the one ${label} record whose ${words(plan.key.field.name)} is given. Read the change back to the caller and call only once they confirm. Returns ${returns} after the change.`;
}

/** A validated, compiled binding not stored yet. */
export interface PreparedBinding {
  skill: NewSkill;
  binding: NormalizedBinding;
  compiled: { kind: string; outputs: BindingResult['compiled']['outputs'] };
}

export class Bindings {
  constructor(
    private readonly agents: Agents,
    private readonly discovery: Discovery,
  ) {}

  /** What binding on this agent and kind works with: the agent checked, the scoped schema, the target. */
  async context(
    orgId: string,
    agentId: string,
    kind: string,
  ): Promise<{ index: SchemaIndex; target: BindingTarget; provider: ProviderModule }> {
    await this.agents.row(orgId, agentId);
    // The schema first: it refuses reserved, unknown, unconnected and undiscovered kinds by their codes.
    const { schema, scoping, provider } = await this.discovery.scopedSchema(orgId, kind);
    if (!provider.bindingTarget)
      throw new AppError(
        'validation_error',
        `${kind.slice(0, 64)} skills come from its actions or pack, not from bindings`,
      );
    return { index: new SchemaIndex(schema, scoping), target: provider.bindingTarget, provider };
  }

  /** Validates and compiles one binding without storing it: what `create` would store. */
  async prepare(orgId: string, agentId: string, kind: string, body: BindingBody): Promise<PreparedBinding> {
    const { index, target, provider } = await this.context(orgId, agentId, kind);
    const validated = validateWith(index, body, target);
    if (!TOOL_NAME.test(body.toolName))
      validated.problems.add('toolName', 'must match ^[a-zA-Z0-9_-]{1,64}$');
    if (validated.problems.list.length || !validated.plan) {
      throw new AppError('binding_invalid', `the binding does not fit the discovered ${kind} schema`, {
        errors: validated.problems.list,
      });
    }
    const plan = validated.plan;
    const { compiled, outputs } = target.compile(plan);
    const parametersSchema = buildParametersSchema(validated.uses);
    checkParametersSchema(parametersSchema);
    const isWrite = plan.mode !== 'read';
    const description =
      body.description ?? (target.describe ? target.describe(plan) : describePlan(plan as BindingPlan));
    const skill: NewSkill = {
      name: body.toolName,
      description,
      skillType: provider.skillType ?? kind,
      source: { kind, binding: validated.operation!.name },
      parametersSchema,
      executionConfig: { ...target.executionConfig },
      compiled,
      isWrite,
      requiresConfirmation: isWrite,
      nonParallelizable: isWrite,
      requiresVerifiedIdentity: plan.mode === 'update',
      // Writes wait for an operator to enable them; reads only when asked.
      isEnabled: !isWrite && body.enabled === true,
      binding: body,
    };
    const binding: NormalizedBinding = {
      toolName: body.toolName,
      description,
      operation: validated.operation!.name,
      isWrite,
      enabled: skill.isEnabled,
      inputs: body.inputs ?? [],
      projection: outputs.map((o, i) => ({
        path: body.projection?.[i]?.path ?? [o.name],
        as: o.name,
      })),
      ...(isWrite ? { inputObjectMap: body.inputObjectMap ?? [] } : { maxRows: (plan as PlanMode).rowCap }),
      ...(body.match === 'case_insensitive' ? { match: body.match } : {}),
      ...(plan.mode === 'update' ? { keyColumn: body.keyColumn, keyParam: body.keyParam } : {}),
    };
    const shown = outputs.map((o) => ({
      name: o.name,
      type: o.type,
      jsonType: o.jsonType,
      nullable: o.nullable,
      ...(o.list ? { list: true } : {}),
    }));
    return { skill, binding, compiled: { kind, outputs: shown } };
  }

  /** Validates, compiles and stores one binding as a draft skill. */
  async create(orgId: string, agentId: string, kind: string, body: BindingBody): Promise<BindingResult> {
    const prepared = await this.prepare(orgId, agentId, kind, body);
    return this.store(orgId, agentId, prepared);
  }

  /** Stores a prepared binding as a draft skill. */
  async store(orgId: string, agentId: string, prepared: PreparedBinding): Promise<BindingResult> {
    const row = await this.agents.insert(orgId, agentId, prepared.skill);
    return this.result(row, prepared);
  }

  /**
   * Saves a bound skill's binding again (same id), validated against today's scoped schema: how an
   * operator fixes a skill that scoping put under review. It lands disabled or enabled by the same
   * rules as a new binding, and no longer needs review.
   */
  async resave(orgId: string, agentId: string, skillId: string, body: BindingBody): Promise<BindingResult> {
    const existing = await this.agents.skillRow(orgId, agentId, skillId);
    const source = JSON.parse(existing.source) as { kind: string; binding?: string };
    if (!source.binding)
      throw new AppError('validation_error', 'this skill does not come from a binding', {
        errors: [{ field: 'skillId', message: 'not a bound skill' }],
      });
    const prepared = await this.prepare(orgId, agentId, source.kind, body);
    const row = await this.agents.replaceBound(orgId, existing, prepared.skill);
    return this.result(row, prepared);
  }

  private result(row: SkillsTable, prepared: PreparedBinding): BindingResult {
    return {
      skill: this.agents.view(row),
      binding: { ...prepared.binding, enabled: row.is_enabled === 1 },
      compiled: prepared.compiled,
    };
  }

  /** The names of the agent's skills. */
  async skillNames(orgId: string, agentId: string): Promise<string[]> {
    return (await this.agents.skillRows(orgId, agentId)).map((r) => r.name);
  }

  /**
   * The agent's skill that is this prepared binding already (same name or a `_n` of it, same
   * operation, same compiled statement and parameters), or null.
   */
  async existing(orgId: string, agentId: string, prepared: PreparedBinding): Promise<BindingResult | null> {
    const name = prepared.skill.name;
    const compiled = JSON.stringify(prepared.skill.compiled);
    const params = JSON.stringify(prepared.skill.parametersSchema);
    const source = JSON.stringify(prepared.skill.source);
    for (const row of await this.agents.skillRows(orgId, agentId)) {
      if (row.name !== name && !(row.name.startsWith(`${name.slice(0, 60)}_`) && /_\d+$/.test(row.name)))
        continue;
      if (row.compiled !== compiled || row.parameters_schema !== params || row.source !== source) continue;
      return {
        skill: this.agents.view(row),
        binding: { ...prepared.binding, toolName: row.name, enabled: row.is_enabled === 1 },
        compiled: prepared.compiled,
      };
    }
    return null;
  }
}
