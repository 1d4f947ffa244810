/**
 * Canonical parameters (SPEC §7): one name, type and model-facing description per thing a caller
 * says, whatever system stores it, so one agent prompt works across providers. Bindings that name a
 * canonical parameter get its description; auto-map picks them for fields of matching class.
 */
import type { FieldType, PiiClass } from '../../providers/types.ts';

export interface CanonicalParameter {
  name: string;
  /** JSON Schema of the value (strict-mode valid), description included. */
  schema: Record<string, unknown> & { type: string; description: string };
  /** The PII class of the value, so logs redact it and auto-map can match classified fields. */
  pii: PiiClass | null;
  /** Field types it may be bound to; the first is its own type. */
  fits: FieldType[];
  /** Words of field names it stands for (auto-map). */
  matches: string[];
}

const param = (
  name: string,
  schema: CanonicalParameter['schema'],
  pii: PiiClass | null,
  fits: FieldType[],
  matches: string[],
): CanonicalParameter => ({ name, schema, pii, fits, matches });

export const CANONICAL_PARAMETERS: readonly CanonicalParameter[] = [
  param(
    'caller_phone',
    {
      type: 'string',
      maxLength: 32,
      description:
        "The caller's phone number exactly as the business stores it; prefer international format (+14155550123) when unsure. Use the number the caller is calling from unless they give another.",
    },
    'phone',
    ['string'],
    ['phone', 'telephone', 'mobile', 'cell'],
  ),
  param(
    'caller_name',
    {
      type: 'string',
      maxLength: 200,
      description: 'The caller\'s full name as they say it, e.g. "Maria Lopez".',
    },
    'person_name',
    ['string'],
    ['name', 'full name', 'contact name'],
  ),
  param(
    'caller_first_name',
    { type: 'string', maxLength: 100, description: "The caller's first (given) name only." },
    'person_name',
    ['string'],
    ['first name', 'given name', 'forename'],
  ),
  param(
    'caller_last_name',
    {
      type: 'string',
      maxLength: 100,
      description: "The caller's last (family) name only, as they spell it.",
    },
    'person_name',
    ['string'],
    ['last name', 'family name', 'surname'],
  ),
  param(
    'caller_email',
    {
      type: 'string',
      format: 'email',
      maxLength: 254,
      description: "The caller's email address, spelled out and confirmed with them (name@example.com).",
    },
    'email',
    ['string'],
    ['email', 'e mail', 'mail'],
  ),
  param(
    'service_address',
    {
      type: 'string',
      maxLength: 300,
      description: 'The street address where the service is needed: number, street, and unit if any.',
    },
    'address',
    ['string'],
    ['address', 'street', 'address line'],
  ),
  param(
    'postal_code',
    {
      type: 'string',
      maxLength: 16,
      description: 'The postal or ZIP code of the address, as the caller gives it.',
    },
    'address',
    ['string'],
    ['postal code', 'zip', 'zip code', 'postcode'],
  ),
  param(
    'order_number',
    {
      type: 'string',
      maxLength: 64,
      description: 'The order number from the caller\'s receipt or confirmation, without a leading "#".',
    },
    null,
    ['string', 'integer'],
    ['order number', 'order id', 'order no', 'order', 'invoice number', 'invoice id'],
  ),
  param(
    'booking_reference',
    {
      type: 'string',
      maxLength: 64,
      description: 'The booking or confirmation code the caller was given when they booked.',
    },
    null,
    ['string', 'integer'],
    [
      'booking reference',
      'confirmation code',
      'confirmation number',
      'reservation id',
      'booking id',
      'reference',
    ],
  ),
  param(
    'account_number',
    {
      type: 'string',
      maxLength: 64,
      description: "The caller's customer or account number, if they have one.",
    },
    null,
    ['string', 'integer'],
    ['account number', 'customer number', 'customer id', 'member id', 'account id'],
  ),
  param(
    'appointment_time',
    {
      type: 'string',
      format: 'date-time',
      description:
        "The start of the appointment as an ISO 8601 date-time with the business's UTC offset, e.g. 2025-03-14T15:30:00-05:00.",
    },
    null,
    ['datetime'],
    ['appointment time', 'start time', 'starts at', 'start', 'scheduled at', 'booked at', 'appointment'],
  ),
  param(
    'date',
    {
      type: 'string',
      format: 'date',
      description: 'A calendar date as YYYY-MM-DD; resolve words like "tomorrow" before calling.',
    },
    null,
    ['date'],
    ['date', 'day'],
  ),
  param(
    'time',
    {
      type: 'string',
      pattern: '^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$',
      description: 'A time of day as HH:MM in 24-hour form, e.g. 14:30.',
    },
    null,
    ['time'],
    ['time'],
  ),
  param(
    'party_size',
    {
      type: 'integer',
      minimum: 1,
      maximum: 100,
      description: 'How many people the booking is for, the caller included.',
    },
    null,
    ['integer'],
    ['party size', 'guests', 'covers', 'people', 'seats'],
  ),
  param(
    'quantity',
    { type: 'integer', minimum: 1, maximum: 10000, description: 'How many units the caller wants.' },
    null,
    ['integer', 'number'],
    ['quantity', 'qty', 'count'],
  ),
  param(
    'service_type',
    {
      type: 'string',
      maxLength: 100,
      description:
        'The service the caller wants, in the business\'s own words (e.g. "haircut", "boiler repair").',
    },
    null,
    ['string', 'enum'],
    ['service', 'service type', 'service name', 'treatment'],
  ),
  param(
    'notes',
    {
      type: 'string',
      maxLength: 2000,
      description: 'Anything else the caller wants the business to know, in their words, kept short.',
    },
    null,
    ['string'],
    ['notes', 'note', 'comment', 'comments', 'message', 'remarks'],
  ),
];

const BY_NAME = new Map(CANONICAL_PARAMETERS.map((p) => [p.name, p]));

export const canonicalParameter = (name: string): CanonicalParameter | undefined => BY_NAME.get(name);

/** The registry as the API serves it. */
export function canonicalRegistry() {
  return CANONICAL_PARAMETERS.map((p) => {
    const { description, ...schema } = p.schema;
    return {
      name: p.name,
      type: p.schema.type,
      description,
      schema: { ...schema, description },
      pii: p.pii,
      fits: [...p.fits],
    };
  });
}
