/** The shared open datasets (`../shared/data` relative to the repository, or $EMPREINTE_DATA_DIR). */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DATA_DIR = resolve(
  process.env.EMPREINTE_DATA_DIR ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'data'),
);
