/**
 * Text for people on a terminal (the CLI, the table sink). Cell values reach tables, issue lines and reports; an escape sequence
 * in a cell (`ESC[2J` clears the screen, `ESC]0;…BEL` sets the window title) must not act on the user's terminal.
 * `printable` is the one function every terminal printer uses; `issueLine` is the one-line issue format.
 */
import { formatIssue, issueMessage, type Issue, type Lang } from '../issues/catalogue.js';

// C0 controls except LF, DEL, C1 controls (U+0080–U+009F, e.g. the 8-bit CSI U+009B).
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS_AND_LF = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Text safe for a terminal: control characters removed, a tab becomes a space. Line feeds are kept in multi-line text
 * and become spaces with `oneLine` (an issue line stays one line whatever its cell values contain).
 */
export function printable(text: string, oneLine = false): string {
  return text.replace(oneLine ? CONTROLS_AND_LF : CONTROLS, (c) => (c === '\t' || c === '\n' ? ' ' : ''));
}

/**
 * One issue as the documented line `file:line:column: CODE message`, safe for a terminal. A file-level issue (no line)
 * is placed at `file:1:1` and a line-level one without a column at column 1, so every line has the same shape; an
 * issue about an option (no file) is printed `CODE message`.
 */
export function issueLine(i: Issue, lang: Lang = 'en'): string {
  if (i.file === undefined || i.file === '') return printable(formatIssue(i, lang), true);
  const where = `${i.file}:${i.line ?? 1}:${i.column !== undefined && i.column !== '' ? i.column : 1}`;
  return printable(`${where}: ${i.code} ${issueMessage(i, {}, lang)}`, true);
}
