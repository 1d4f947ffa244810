import { describe, expect, it } from 'vitest';
import { classifyPii, nameTokens } from './pii.ts';
import type { FieldType } from './types.ts';

const pii = (
  name: string,
  type: FieldType = 'string',
  extra: { comment?: string; objectName?: string } = {},
) => classifyPii({ name, type, ...extra });

describe('PII classification', () => {
  it('splits snake, camel and acronym names into words', () => {
    expect(nameTokens('SupportRepId')).toEqual(['support', 'rep', 'id']);
    expect(nameTokens('billing_address2')).toEqual(['billing', 'address', '2']);
    expect(nameTokens('CustomerID')).toEqual(['customer', 'id']);
    expect(nameTokens('zip code')).toEqual(['zip', 'code']);
  });

  it.each([
    ['email', 'string', 'email'],
    ['Email', 'string', 'email'],
    ['contact_email_address', 'string', 'email'],
    ['phone', 'string', 'phone'],
    ['HomePhone', 'string', 'phone'],
    ['mobile_number', 'string', 'phone'],
    ['fax', 'string', 'phone'],
    ['phone', 'integer', 'phone'],
    ['first_name', 'string', 'person_name'],
    ['LastName', 'string', 'person_name'],
    ['contact_name', 'string', 'person_name'],
    ['surname', 'string', 'person_name'],
    ['address', 'string', 'address'],
    ['address2', 'string', 'address'],
    ['BillingAddress', 'string', 'address'],
    ['postal_code', 'string', 'address'],
    ['ShipPostalCode', 'string', 'address'],
    ['zip', 'string', 'address'],
    ['birth_date', 'date', 'date_of_birth'],
    ['BirthDate', 'datetime', 'date_of_birth'],
    ['dob', 'date', 'date_of_birth'],
    ['ssn', 'string', 'government_id'],
    ['social_security_number', 'string', 'government_id'],
    ['passport_number', 'string', 'government_id'],
    ['tax_id', 'string', 'government_id'],
    ['card_number', 'string', 'payment_card'],
    ['credit_card', 'string', 'payment_card'],
    ['cvv', 'integer', 'payment_card'],
    ['iban', 'string', 'payment_card'],
    ['password_hash', 'string', 'credential'],
    ['password', 'string', 'credential'],
    ['api_key', 'string', 'credential'],
    ['reset_token', 'string', 'credential'],
    ['totp_secret', 'binary', 'credential'],
  ] as const)('%s (%s) is %s', (name, type, expected) => {
    expect(pii(name, type)).toBe(expected);
  });

  it.each([
    ['email_verified', 'boolean'],
    ['email_verified_at', 'datetime'],
    ['email_opt_in', 'boolean'],
    ['email_count', 'integer'],
    ['address_id', 'integer'],
    ['AddressId', 'integer'],
    ['billing_address_id', 'uuid'],
    ['last_update', 'datetime'],
    ['last_updated', 'datetime'],
    ['created_at', 'datetime'],
    ['ip_address', 'string'],
    ['mac_address', 'string'],
    ['phone_verified', 'boolean'],
    ['phone_country_code', 'string'],
    ['password_changed_at', 'datetime'],
    ['token_count', 'integer'],
    ['username', 'string'],
    ['company_name', 'string'],
    ['product_name', 'string'],
    ['district', 'string'],
    ['city', 'string'],
    ['birth_place', 'string'],
    ['title', 'string'],
    ['paid', 'boolean'],
    ['mail_sent', 'boolean'],
  ] as const)('%s (%s) is not PII', (name, type) => {
    expect(pii(name, type)).toBeNull();
  });

  it('reads a bare `name` as a person only in a person-like table', () => {
    expect(pii('name', 'string', { objectName: 'customer' })).toBe('person_name');
    expect(pii('name', 'string', { objectName: 'staff_list' })).toBe('person_name');
    expect(pii('name', 'string', { objectName: 'sales.employees' })).toBe('person_name');
    expect(pii('name', 'string', { objectName: 'category' })).toBeNull();
    expect(pii('Name', 'string', { objectName: 'Artist' })).toBeNull();
    expect(pii('name', 'string')).toBeNull();
  });

  it('uses the column comment when the name says nothing', () => {
    expect(pii('contact', 'string', { comment: "The customer's e-mail" })).toBe('email');
    expect(pii('c7', 'string', { comment: 'Social Security Number' })).toBe('government_id');
    expect(pii('extra', 'string', { comment: 'Credit card number, tokenized' })).toBe('payment_card');
    expect(pii('born_on', 'date', { comment: 'date of birth' })).toBe('date_of_birth');
    expect(pii('flag', 'boolean', { comment: 'whether the email was verified' })).toBeNull();
    expect(pii('notes', 'string', { comment: 'free text, e.g. a frying pan' })).toBeNull();
  });
});
