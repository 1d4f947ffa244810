/**
 * A provider that exists only in tests: credentials are `{ token }`, accepted when the token starts
 * with `good`. It lets HTTP-level suites create and replace connections without a database server.
 */
import { Type } from '@sinclair/typebox';
import { AppError } from '../../src/errors.ts';
import type { ProviderModule } from '../../src/providers/types.ts';

export const TEST_KIND = 'testdb';

export const testProvider: ProviderModule = {
  kind: TEST_KIND,
  name: 'Test DB',
  category: 'Database',
  blurb: 'A provider used only by the test suites.',
  logo: 'testdb',
  auth: {
    type: 'credentials',
    credentials: Type.Object(
      {
        token: Type.String({ minLength: 1, maxLength: 200 }),
        label: Type.Optional(Type.String({ maxLength: 64 })),
      },
      { additionalProperties: false },
    ),
  },
  async verify(credentials) {
    const token = String(credentials.token);
    if (!token.startsWith('good'))
      throw new AppError('credentials_rejected', 'the test provider refused the token');
    return { accountLabel: `Test DB · ${credentials.label ?? 'default'}` };
  },
  actions: [],
  sql: {
    async test(credentials) {
      const ok = String(credentials.token).startsWith('good');
      return [{ name: 'auth', ok, detail: ok ? 'accepted' : 'refused', ms: 1 }];
    },
    scripts: ({ database, tables }) => ({
      role: 'flowyte_test',
      password: 'generated-once',
      readOnly: `-- read-only role for ${database}`,
      write: tables.length ? `-- write access to ${tables.length} tables` : null,
    }),
  },
};
