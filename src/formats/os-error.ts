/**
 * Operating-system errors (`ENOENT`, `ELOOP`, `EACCES`…) as a short English reason for an issue message, so that the
 * CLI prints them in the one-line `file:line:column: CODE message` format instead of Node's raw text.
 */
import { issue, type Issue } from '../issues/catalogue.js';

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  EEXIST: 'it already exists',
  ENOTEMPTY: 'it is a folder that is not empty',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'too many levels of symbolic links',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
  EXDEV: 'the temporary file and the target are on different devices',
  EBUSY: 'the file is busy',
  EIO: 'input/output error',
  EPIPE: 'the reader of the pipe has gone',
};

/** Whether `e` is an error raised by a system call (it has a string `code` such as `ENOENT`). */
export function isOsError(e: unknown): e is NodeJS.ErrnoException & { code: string } {
  return (
    e instanceof Error &&
    typeof (e as NodeJS.ErrnoException).code === 'string' &&
    /^E[A-Z]+$/.test((e as NodeJS.ErrnoException).code!)
  );
}

/** `permission denied (EACCES)`; an unknown code keeps Node's message. */
export function osReason(e: unknown): string {
  if (!isOsError(e)) return e instanceof Error ? e.message : String(e);
  const known = REASONS[e.code];
  return known ? `${known} (${e.code})` : `${e.message.replace(/^E[A-Z]+: /, '')}`;
}

/**
 * An output that cannot be written (a rejects file, an export): not a problem of the input being read, so the
 * pipeline does not turn it into a file failure; the CLI prints its issue as one line and exits 2.
 */
export class OutputError extends Error {
  constructor(readonly issue: Issue) {
    super(`${issue.file ?? ''}: ${issue.code}`);
    this.name = 'OutputError';
  }
}

/** `OUT_UNWRITABLE` for `file` and the error met writing it (an `OutputError` is returned as is). */
export function outputError(file: string, e: unknown): OutputError {
  if (e instanceof OutputError) return e;
  return new OutputError(issue('OUT_UNWRITABLE', { reason: osReason(e) }, { file }));
}
