/**
 * Where a sink writes its text: stdout (the CLI's adapter, `src/cli/output.ts`), a file written atomically
 * (`src/app/adapters/file-out.ts`), or memory (tests, the server). A write may return a promise (back-pressure), which
 * the caller awaits; `close` commits the output (renames a temporary file), `abort` discards it.
 */
export interface TextOut {
  write(s: string): void | Promise<void>;
  /** Bytes written as they are (a file); absent where the output takes text only. */
  writeBytes?(b: Uint8Array): void | Promise<void>;
  /**
   * An empty scratch file next to the output (same folder, so the same file system), made at the first call (the same
   * one after): the rows a worker renders for the output wait there (`PartRows.spilled`). Removed when the output is
   * closed or aborted, and on SIGINT/SIGTERM (`TempFiles`). Absent where the output is not a file.
   */
  scratch?(): ScratchFile;
  close(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * A scratch file of an output (`TextOut.scratch`): its path, and the output's, which a failure to write or read it is
 * reported as (`OUT_UNWRITABLE`, `scratchFailure` in file-out.ts), as a failure to write the output itself would be.
 */
export interface ScratchFile {
  readonly path: string;
  readonly output: string;
}

/** A text output kept in memory: `text()` is what was written and closed. */
export function memoryOut(): TextOut & { text(): string; readonly closed: boolean } {
  const chunks: string[] = [];
  let closed = false;
  return {
    write: (s) => void chunks.push(s),
    close: async () => {
      closed = true;
    },
    abort: async () => {
      chunks.length = 0;
    },
    text: () => chunks.join(''),
    get closed() {
      return closed;
    },
  };
}
