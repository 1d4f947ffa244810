import { describe, expect, test } from 'vitest';
import { normalizeBindingBody } from './binding-aliases.ts';

describe("Flowyte's binding names", () => {
  test('sqlSearch becomes the one input, leaf becomes as, a toolName with spaces a tool name and title', () => {
    expect(
      normalizeBindingBody({
        toolName: 'Look up the caller',
        operation: 'customer.search_by_phone',
        sqlSearch: { column: 'phone', param: 'caller_phone' },
        projection: [{ path: ['first_name'], leaf: 'customer_name' }, { path: ['email'] }],
      }),
    ).toEqual({
      body: {
        toolName: 'look_up_the_caller',
        operation: 'customer.search_by_phone',
        inputs: [{ param: 'caller_phone', arg: 'phone' }],
        projection: [{ path: ['first_name'], as: 'customer_name' }, { path: ['email'] }],
      },
      title: 'Look up the caller',
    });
  });
  test("today's names pass through unchanged", () => {
    const body = {
      toolName: 'find',
      operation: 'x.insert',
      isWrite: true,
      inputObjectMap: [{ field: 'a', const: 1 }],
      projection: [{ path: ['id'], as: 'id' }],
    };
    expect(normalizeBindingBody(body)).toEqual({ body, title: null });
  });
  test('as and leaf naming different outputs is refused', () => {
    expect(() =>
      normalizeBindingBody({
        toolName: 't',
        operation: 'o',
        projection: [{ path: ['a'], as: 'x', leaf: 'y' }],
      }),
    ).toThrow(expect.objectContaining({ code: 'validation_error' }));
  });
});
