/**
 * What the CLI prints for people on a terminal: `printable` (control characters removed) and `issueLine` (the one-line
 * issue format). They live in the application layer (`src/app/terminal-text.ts`) because the table sink renders
 * terminal text too; every terminal printer of the CLI imports them from here.
 */
export { issueLine, printable } from '../app/terminal-text.js';
