// @vitest-environment happy-dom
/** Dialogs are keyboard-usable: focus starts inside, Tab cycles within, Escape closes. */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, expect, test, vi } from 'vitest';
import { Dialog } from './controls.tsx';

afterEach(cleanup);

test('focus starts inside, Tab wraps around, Escape closes', () => {
  const onClose = vi.fn();
  render(
    <Dialog title="Connect" onClose={onClose}>
      <label>
        Host <input />
      </label>
      <button type="button">Connect</button>
    </Dialog>,
  );
  expect(screen.getByRole('dialog', { name: 'Connect' })).toBeTruthy();
  const close = screen.getByRole('button', { name: 'Close' });
  const last = screen.getByRole('button', { name: 'Connect' });
  expect(document.activeElement).toBe(screen.getByLabelText(/Host/));
  last.focus();
  fireEvent.keyDown(document, { key: 'Tab' });
  expect(document.activeElement).toBe(close);
  fireEvent.keyDown(document, { key: 'Tab', shiftKey: true });
  expect(document.activeElement).toBe(last);
  fireEvent.keyDown(document, { key: 'Escape' });
  expect(onClose).toHaveBeenCalled();
});
