/** Runs a discovery on a short-lived connection, mapping connection failures to useful problems. */
import { AppError } from '../../errors.ts';
import { classifySqlError, describeSqlError, type RejectionTarget } from './errors.ts';

export async function withDiscoveryConnection<C, T>(
  open: () => Promise<C>,
  close: (c: C) => Promise<void>,
  run: (c: C) => Promise<T>,
  target: RejectionTarget,
): Promise<T> {
  let conn: C;
  try {
    conn = await open();
  } catch (err) {
    const kind = classifySqlError(err);
    if (kind === 'auth')
      throw new AppError(
        'needs_reconnect',
        `the stored credentials no longer work: ${describeSqlError(err, target)}`,
      );
    if (kind === 'timeout')
      throw new AppError('provider_timeout', 'the database did not answer in time', {
        extensions: { retryable: true },
      });
    throw new AppError('provider_error', describeSqlError(err, target), { extensions: { retryable: true } });
  }
  try {
    return await run(conn);
  } catch (err) {
    if (classifySqlError(err) === 'timeout')
      throw new AppError(
        'provider_timeout',
        'discovery took too long; try again, or narrow what the role can read (a dedicated role on fewer schemas)',
        { extensions: { retryable: true } },
      );
    throw new AppError('provider_error', 'the database refused a catalog query during discovery', {
      extensions: { retryable: true },
    });
  } finally {
    await close(conn).catch(() => {});
  }
}
