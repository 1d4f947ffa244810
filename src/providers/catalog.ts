/** The live providers, in catalog order. */
import { googleCalendar } from './google-calendar/index.ts';
import { googleSheets } from './google-sheets/index.ts';
import { mysql } from './mysql/index.ts';
import { postgres } from './postgres/index.ts';
import { shopify } from './shopify/index.ts';
import type { ProviderModule } from './types.ts';

export const defaultProviders = (): ProviderModule[] => [
  googleCalendar,
  googleSheets,
  shopify,
  postgres,
  mysql,
];
