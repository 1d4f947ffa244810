/** What a test or the demo holds for one fake shop: its records and its credentials. */
import type { addOrder } from './order-records.ts';
import type { addProduct } from './product-records.ts';
import type { addCustomer, addLocation } from './records.ts';
import type { ShopState } from './world.ts';

export interface ShopHandle {
  domain: string;
  /** The shop's records (orders, customers, products, variants, locations…), mutable by tests. */
  state: ShopState;
  /** A non-expiring Admin API token (like one from the admin) with these scopes. */
  issueAccessToken(scopes?: string[], token?: string): string;
  /** An app installed on this shop that may use the client-credentials grant. */
  addClientApp(
    scopes?: string[],
    creds?: { clientId: string; clientSecret: string },
  ): {
    clientId: string;
    clientSecret: string;
  };
  revokeToken(token: string): void;
  addCustomer: (seed: Parameters<typeof addCustomer>[1]) => ReturnType<typeof addCustomer>;
  addLocation: (seed: Parameters<typeof addLocation>[1]) => ReturnType<typeof addLocation>;
  addProduct: (seed: Parameters<typeof addProduct>[1]) => ReturnType<typeof addProduct>;
  addOrder: (seed: Parameters<typeof addOrder>[1]) => ReturnType<typeof addOrder>;
}
