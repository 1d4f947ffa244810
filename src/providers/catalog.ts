/** The live providers, in catalog order. */
import { mysql } from './mysql/index.ts';
import { postgres } from './postgres/index.ts';
import type { ProviderModule } from './types.ts';

export const defaultProviders = (): ProviderModule[] => [postgres, mysql];
