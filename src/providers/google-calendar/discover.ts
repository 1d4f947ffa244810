/**
 * Calendar discovery: each calendar the account can see becomes an object whose fields are the
 * appointment (event) fields, with the actions it allows as operations; writes only where the
 * account may write.
 */
import type {
  ActionDefinition,
  Capability,
  FieldType,
  NormalizedSchema,
  OperationArg,
  PiiClass,
  ProviderContext,
  SchemaField,
  SchemaObject,
  SchemaOperation,
} from '../types.ts';
import { CALENDAR_ACTIONS } from './actions.ts';
import { type CalendarListEntry, listCalendars } from './calendar-api.ts';

const field = (name: string, type: FieldType, opts: Partial<SchemaField> = {}): SchemaField => ({
  name,
  type,
  nativeType: opts.nativeType ?? type,
  nullable: opts.nullable ?? true,
  primaryKey: opts.primaryKey ?? false,
  unique: opts.unique ?? false,
  leadingIndex: opts.leadingIndex ?? false,
  pii: (opts.pii ?? null) as PiiClass | null,
  ...(opts.enumValues ? { enumValues: opts.enumValues } : {}),
  ...(opts.comment ? { comment: opts.comment } : {}),
});

/** The appointment as actions return it; caller details live in the event's private properties. */
export const EVENT_FIELDS: SchemaField[] = [
  field('appointment_id', 'string', {
    nativeType: 'event.id',
    nullable: false,
    primaryKey: true,
    unique: true,
    leadingIndex: true,
  }),
  field('status', 'enum', {
    nativeType: 'event.status',
    nullable: false,
    enumValues: ['confirmed', 'tentative', 'cancelled'],
  }),
  field('start', 'datetime', { nativeType: 'event.start.dateTime', nullable: false }),
  field('end', 'datetime', { nativeType: 'event.end.dateTime', nullable: false }),
  field('summary', 'string', { nativeType: 'event.summary' }),
  field('description', 'string', { nativeType: 'event.description' }),
  field('caller_name', 'string', {
    nativeType: 'extendedProperties.private.caller_name',
    pii: 'person_name',
  }),
  field('caller_phone', 'string', {
    nativeType: 'extendedProperties.private.caller_phone',
    pii: 'phone',
    leadingIndex: true,
    comment: 'searchable by its digits',
  }),
  field('caller_email', 'string', {
    nativeType: 'extendedProperties.private.caller_email',
    pii: 'email',
    leadingIndex: true,
  }),
];

const VERBS: Record<string, string> = {
  check_availability: 'check_availability',
  book_appointment: 'insert',
  find_appointment: 'search',
  reschedule_appointment: 'update',
  cancel_appointment: 'delete',
};

function argsOf(action: ActionDefinition): OperationArg[] {
  const props = (action.parameters.properties ?? {}) as Record<string, { type: string | string[] }>;
  return Object.entries(props).map(([name, schema]) => {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const t = types.find((x) => x !== 'null') ?? 'string';
    const type: FieldType =
      t === 'integer'
        ? 'integer'
        : name.endsWith('_time') || name.startsWith('window_')
          ? 'datetime'
          : name === 'date'
            ? 'date'
            : 'string';
    return { name, type, required: !types.includes('null') };
  });
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/@.*$/, '')
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 48) || 'calendar'
  );
}

const WRITERS = new Set(['owner', 'writer']);

export async function discoverCalendar(
  _credentials: Record<string, unknown>,
  ctx: ProviderContext,
): Promise<NormalizedSchema> {
  const calendars = await listCalendars(ctx);
  const objects: SchemaObject[] = [];
  const operations: SchemaOperation[] = [];
  const taken = new Set<string>();
  const ordered = [...calendars].sort((a, b) => Number(Boolean(b.primary)) - Number(Boolean(a.primary)));
  for (const cal of ordered) {
    let name = cal.primary ? 'primary' : slug(cal.summary ?? cal.id);
    for (let n = 2; taken.has(name); n++) name = `${name.replace(/_\d+$/, '')}_${n}`;
    taken.add(name);
    objects.push(calendarObject(cal, name));
    operations.push(...calendarOperations(cal, name));
  }
  return { objects, relationships: [], operations };
}

function calendarObject(cal: CalendarListEntry, name: string): SchemaObject {
  const role = cal.accessRole ?? 'reader';
  const capabilities: Capability[] = role === 'freeBusyReader' ? ['read'] : ['read', 'search'];
  if (WRITERS.has(role)) capabilities.push('create', 'update');
  return {
    name,
    label: `${cal.summary ?? cal.id}${cal.primary ? ' (primary)' : ''}`,
    kind: 'resource',
    source: { calendarId: cal.id, accessRole: role, ...(cal.timeZone ? { timeZone: cal.timeZone } : {}) },
    fields: EVENT_FIELDS,
    capabilities,
    primaryKey: ['appointment_id'],
    meta: { primary: Boolean(cal.primary), timeZone: cal.timeZone ?? null, accessRole: role },
  };
}

function calendarOperations(cal: CalendarListEntry, object: string): SchemaOperation[] {
  const role = cal.accessRole ?? 'reader';
  return CALENDAR_ACTIONS.filter((a) =>
    a.isWrite ? WRITERS.has(role) : role !== 'freeBusyReader' || a.slug === 'check_availability',
  ).map((a) => ({
    name: `${object}.${a.slug}`,
    object,
    kind: a.isWrite ? 'write' : 'read',
    verb: VERBS[a.slug] ?? a.slug,
    args: argsOf(a),
    returns: a.slug === 'check_availability' ? 'slots' : object,
  }));
}
