// @vitest-environment happy-dom
/** The schema browser: search by object or field, fields with types and PII, relationships, operations. */
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, expect, test, vi } from 'vitest';
import { schema } from './fixtures.test-data.ts';
import { SchemaBrowser } from './schema-browser.tsx';

afterEach(cleanup);

test('lists objects and shows the first one’s fields, types, PII, relationships and operations', () => {
  render(<SchemaBrowser schema={schema} />);
  const objects = within(screen.getByRole('list', { name: 'Objects' }));
  expect(objects.getAllByRole('button').map((b) => b.textContent)).toEqual(['Customer table', 'Film table']);
  const detail = within(screen.getByRole('region', { name: 'Object customer' }));
  expect(detail.getByText('PII: email')).toBeTruthy();
  expect(detail.getByText('PII: person_name')).toBeTruthy();
  expect(detail.getByText('primary key')).toBeTruthy();
  expect(detail.getByText('customer.search_by_last_name')).toBeTruthy();
  expect(detail.getByText('rental.customer_id')).toBeTruthy();
  expect(detail.getByText(/last_name: string/)).toBeTruthy();
});

test('search matches field names too, and picking an object shows it', () => {
  render(<SchemaBrowser schema={schema} />);
  fireEvent.change(screen.getByLabelText('Search objects and fields'), { target: { value: 'title' } });
  const objects = within(screen.getByRole('list', { name: 'Objects' }));
  expect(objects.getAllByRole('button').map((b) => b.textContent)).toEqual(['Film table']);
  expect(screen.getByText('1 of 2 objects')).toBeTruthy();
  fireEvent.change(screen.getByLabelText('Search objects and fields'), { target: { value: '' } });
  fireEvent.click(screen.getByRole('button', { name: 'Film table' }));
  expect(screen.getByRole('region', { name: 'Object film' })).toBeTruthy();
  expect(screen.getAllByText('None.').length).toBe(2);
});

test('the hide toggles report the object or field to scope out', () => {
  const onHide = vi.fn();
  const onHideField = vi.fn();
  render(<SchemaBrowser schema={schema} onHide={onHide} onHideField={onHideField} />);
  fireEvent.click(screen.getByRole('button', { name: 'Hide from agents' }));
  expect(onHide).toHaveBeenCalledWith('customer');
  fireEvent.click(screen.getByRole('button', { name: 'Hide customer.email' }));
  expect(onHideField).toHaveBeenCalledWith('customer', 'email');
});

test('without hide handlers, no hide controls', () => {
  render(<SchemaBrowser schema={schema} />);
  expect(screen.queryByRole('button', { name: /^Hide/ })).toBeNull();
});
