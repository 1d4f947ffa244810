import { describe, expect, it } from 'vitest';
import { newId } from './ids.ts';

describe('newId', () => {
  it('prefix_ + 26 base32 characters, sorting in creation order even within one millisecond', () => {
    const ids = Array.from({ length: 2000 }, () => newId('exe'));
    for (const id of ids) expect(id).toMatch(/^exe_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('starts with the time: an id made later sorts after', async () => {
    const a = newId('x');
    await new Promise((r) => setTimeout(r, 5));
    const b = newId('x');
    expect(b > a).toBe(true);
    expect(b.slice(2, 12) >= a.slice(2, 12)).toBe(true);
  });
});
