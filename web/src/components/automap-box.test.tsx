// @vitest-environment happy-dom
/** The auto-map box shows what the server decided and why, and what to do when nothing fits. */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, expect, test, vi } from 'vitest';
import { ApiError } from '../api.ts';
import { AutoMapBox } from './automap-box.tsx';
import { mapped } from './fixtures.test-data.ts';

afterEach(cleanup);

const submitGoal = (goal: string) => {
  fireEvent.change(screen.getByLabelText('Goal'), { target: { value: goal } });
  fireEvent.click(screen.getByRole('button', { name: 'Map goal' }));
};

test('a mapped goal shows the skill, explanation, confidence and alternatives', async () => {
  const mapGoal = vi.fn().mockResolvedValue(mapped);
  const onMapped = vi.fn();
  render(<AutoMapBox agentId="agt_1" kinds={['postgres']} mapGoal={mapGoal} onMapped={onMapped} />);
  submitGoal('look customers up by last name');
  expect(await screen.findByText('find_customer_by_last_name')).toBeTruthy();
  expect(mapGoal).toHaveBeenCalledWith('postgres', 'look customers up by last name');
  expect(screen.getByText(/the goal names "customer"/)).toBeTruthy();
  expect(screen.getAllByText('90%').length).toBeGreaterThan(0);
  expect(screen.getByText('find_staff_by_last_name')).toBeTruthy();
  expect(screen.getByText(/ranked by vocabulary/)).toBeTruthy();
  expect(onMapped).toHaveBeenCalledWith(mapped);
});

test('an unmappable goal shows the detail and the closest candidates with their index', async () => {
  const err = new ApiError(
    422,
    'goal_not_mappable',
    'nothing in the discovered postgres schema fits "x"',
    [],
    {
      candidates: [
        {
          object: 'customer',
          field: 'email',
          note: 'customer.email matches "email" but no index starts with it',
          createIndex: 'CREATE INDEX "customer_email_idx" ON "public"."customer" ("email");',
        },
      ],
    },
  );
  render(<AutoMapBox agentId="agt_1" kinds={['postgres']} mapGoal={vi.fn().mockRejectedValue(err)} />);
  submitGoal('find a customer by email');
  expect((await screen.findByRole('alert')).textContent).toContain(
    'nothing in the discovered postgres schema fits',
  );
  expect(screen.getByText(/no index starts with it/)).toBeTruthy();
  expect(screen.getByText(/CREATE INDEX "customer_email_idx"/)).toBeTruthy();
});

test('several integrations: the chosen one is used; none: an explanation instead of a form', async () => {
  const mapGoal = vi.fn().mockResolvedValue(mapped);
  const { unmount } = render(<AutoMapBox agentId="a" kinds={['postgres', 'mysql']} mapGoal={mapGoal} />);
  fireEvent.change(screen.getByLabelText('Integration'), { target: { value: 'mysql' } });
  submitGoal('films by title');
  await screen.findByText('find_customer_by_last_name');
  expect(mapGoal).toHaveBeenCalledWith('mysql', 'films by title');
  unmount();
  render(<AutoMapBox agentId="a" kinds={[]} mapGoal={mapGoal} />);
  expect(screen.getByText(/discover its schema/)).toBeTruthy();
  expect(screen.queryByLabelText('Goal')).toBeNull();
});
