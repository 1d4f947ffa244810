// @vitest-environment happy-dom
/** The test panel builds a form from the tool's JSON Schema and invokes draft or live with typed arguments. */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, expect, test, vi } from 'vitest';
import { ApiError } from '../api.ts';
import type { JsonSchema } from '../types.ts';
import { TestPanel } from './test-panel.tsx';

afterEach(cleanup);

const params: JsonSchema = {
  type: 'object',
  properties: {
    caller_last_name: { type: 'string', description: 'The caller’s last name' },
    party_size: { type: 'integer' },
    vip: { type: 'boolean' },
    channel: { type: 'string', enum: ['phone', 'chat'] },
  },
  required: ['caller_last_name'],
};
const tool = { name: 'find_customer', parametersSchema: params };

test('renders an input per parameter, typed and labelled, required marked', () => {
  render(<TestPanel agentId="a" tool={tool} hasLive invoke={vi.fn()} />);
  const name = screen.getByLabelText(/caller_last_name/) as HTMLInputElement;
  expect(name.required).toBe(true);
  expect((screen.getByLabelText(/party_size/) as HTMLInputElement).type).toBe('number');
  expect((screen.getByLabelText(/vip/) as HTMLInputElement).type).toBe('checkbox');
  expect(screen.getByLabelText(/channel/).tagName).toBe('SELECT');
  expect(screen.getByText('The caller’s last name')).toBeTruthy();
});

test('invokes live with typed arguments and shows the result and latency', async () => {
  const invoke = vi.fn().mockResolvedValue({ result: { rows: [{ first_name: 'MARY' }] }, durationMs: 12.4 });
  render(<TestPanel agentId="a" tool={tool} hasLive invoke={invoke} />);
  fireEvent.change(screen.getByLabelText(/caller_last_name/), { target: { value: 'SMITH' } });
  fireEvent.change(screen.getByLabelText(/party_size/), { target: { value: '4' } });
  fireEvent.click(screen.getByLabelText(/vip/));
  fireEvent.change(screen.getByLabelText(/channel/), { target: { value: 'chat' } });
  fireEvent.click(screen.getByRole('button', { name: 'Run' }));
  expect(await screen.findByText(/"first_name": "MARY"/)).toBeTruthy();
  expect(invoke).toHaveBeenCalledWith(
    'find_customer',
    { caller_last_name: 'SMITH', party_size: 4, vip: true, channel: 'chat' },
    false,
  );
  expect(screen.getByText(/Took 12 ms on the server/)).toBeTruthy();
});

test('without a live version it runs the draft; an API error shows its detail', async () => {
  const invoke = vi
    .fn()
    .mockRejectedValue(
      new ApiError(400, 'validation_error', 'the arguments are not valid', [
        { field: 'caller_last_name', message: 'must be shorter' },
      ]),
    );
  render(<TestPanel agentId="a" tool={tool} hasLive={false} invoke={invoke} />);
  expect((screen.getByLabelText(/Live/) as HTMLInputElement).disabled).toBe(true);
  fireEvent.change(screen.getByLabelText(/caller_last_name/), { target: { value: 'X' } });
  fireEvent.click(screen.getByRole('button', { name: 'Run' }));
  const alert = await screen.findByRole('alert');
  expect(alert.textContent).toContain('the arguments are not valid');
  expect(alert.textContent).toContain('must be shorter');
  expect(invoke.mock.calls[0][2]).toBe(true);
});
