/** First-start data: the admin user (and, later, the template app and demo users). */
import type { Config } from './config.ts';
import type { AppContext } from './context.ts';

export async function bootstrapData(_ctx: AppContext, _config: Config): Promise<void> {
  // Filled in by the identity module (admin user) and the template loader.
}
