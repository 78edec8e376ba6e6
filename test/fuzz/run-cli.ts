/**
 * Runs the CLI in a child process for the memory checks of the reader tests: `node --import tsx test/fuzz/run-cli.ts
 * <args…>` runs `main(args)` and, on exit, writes `EMPREINTE_MAXRSS_KB=<n>` (peak resident memory of the process,
 * from `process.resourceUsage()`) as the last line of stderr.
 */
import { main } from '../../src/cli/main.js';

const code = await main(process.argv.slice(2));
process.stderr.write(`EMPREINTE_MAXRSS_KB=${process.resourceUsage().maxRSS}\n`);
process.exitCode = code;
