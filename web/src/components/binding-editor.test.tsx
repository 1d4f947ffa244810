// @vitest-environment happy-dom
/** The binding editor: operation picker, argument → parameter mapping, projection, server errors. */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, expect, test, vi } from 'vitest';
import { ApiError } from '../api.ts';
import { type BindingBody, BindingEditor } from './binding-editor.tsx';
import { mapped, schema } from './fixtures.test-data.ts';

afterEach(cleanup);

const withReturns = {
  ...schema,
  operations: schema.operations.map((o) => ({ ...o, returns: 'customer' })),
};

async function chooseOperation() {
  const picker = (await screen.findByLabelText('Operation')) as HTMLSelectElement;
  await waitFor(() => expect(picker.options.length).toBe(2));
  fireEvent.change(picker, { target: { value: 'customer.search_by_last_name' } });
}

test('picking an operation proposes a tool name and maps required arguments; saving sends the binding', async () => {
  const save = vi.fn().mockResolvedValue({
    ...mapped.skill,
    name: 'customer_search_by_last_name',
    compiled: { kind: 'search', outputs: [{ name: 'email', type: 'string' }] },
  });
  const onSaved = vi.fn();
  render(
    <BindingEditor
      agentId="a"
      kinds={['postgres']}
      loadSchema={async () => withReturns}
      save={save}
      onSaved={onSaved}
    />,
  );
  await chooseOperation();
  expect((screen.getByLabelText('Tool name') as HTMLInputElement).value).toBe('customer_search_by_last_name');
  const arg = screen.getByRole('textbox', { name: /^last_name/ }) as HTMLInputElement;
  expect(arg.value).toBe('last_name');
  fireEvent.change(arg, { target: { value: 'caller_last_name' } });
  fireEvent.click(screen.getByRole('checkbox', { name: /^email/ }));
  expect(screen.getAllByText('PII', { selector: '.badge' })).toHaveLength(2);
  fireEvent.click(screen.getByRole('button', { name: 'Save as draft skill' }));
  await screen.findByRole('status');
  const body: BindingBody = save.mock.calls[0][1];
  expect(save.mock.calls[0][0]).toBe('postgres');
  expect(body).toEqual({
    toolName: 'customer_search_by_last_name',
    operation: 'customer.search_by_last_name',
    inputs: [{ param: 'caller_last_name', arg: 'last_name' }],
    // Every returned field starts chosen; email was unchecked.
    projection: [
      { path: ['customer_id'], as: 'customer_id' },
      { path: ['last_name'], as: 'last_name' },
    ],
    isWrite: false,
    enabled: true,
  });
  expect(screen.getByRole('status').textContent).toContain('email (string)');
  expect(onSaved).toHaveBeenCalled();
});

test("the server's validation errors are shown by the form, field by field", async () => {
  const save = vi
    .fn()
    .mockRejectedValue(
      new ApiError(422, 'binding_invalid', 'the binding does not fit the schema', [
        { field: 'inputs.0.param', message: 'must be a canonical or snake_case name' },
      ]),
    );
  render(<BindingEditor agentId="a" kinds={['postgres']} loadSchema={async () => withReturns} save={save} />);
  await chooseOperation();
  fireEvent.click(screen.getByRole('button', { name: 'Save as draft skill' }));
  const alert = await screen.findByRole('alert');
  expect(alert.textContent).toContain('the binding does not fit the schema');
  expect(alert.textContent).toContain('inputs.0.param');
  expect(alert.textContent).toContain('must be a canonical or snake_case name');
});

test('the filter narrows the operations; no discovered integration: an explanation', async () => {
  const { unmount } = render(
    <BindingEditor agentId="a" kinds={['postgres']} loadSchema={async () => withReturns} />,
  );
  const picker = (await screen.findByLabelText('Operation')) as HTMLSelectElement;
  await waitFor(() => expect(picker.options.length).toBe(2));
  fireEvent.change(screen.getByLabelText('Filter operations'), { target: { value: 'film' } });
  expect(picker.options.length).toBe(1);
  unmount();
  render(<BindingEditor agentId="a" kinds={[]} />);
  expect(screen.getByText(/Discover a connected integration/)).toBeTruthy();
});
