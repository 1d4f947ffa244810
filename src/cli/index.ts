/** The `flowyte` command (bin/flowyte.js runs the compiled copy of this file). */
import { ConfigError } from '../config.ts';
import { AppError } from '../errors.ts';
import { buildProgram } from './program.ts';

buildProgram()
  .parseAsync(process.argv)
  .catch((e: unknown) => {
    if (e instanceof AppError || e instanceof ConfigError) console.error(`flowyte: ${e.message}`);
    else console.error(`flowyte: ${(e as Error)?.message ?? e}`);
    process.exit(1);
  });
