/**
 * An accessible data table: caption, column headers with scope, row headers, numbers right-aligned with their exact
 * value in `data-value`. Used by every chart as its text alternative and by the pages. Pure (server-renderable).
 */
import type { ComponentChildren } from 'preact';

export interface Column {
  readonly key: string;
  readonly label: string;
  /** Right-aligned (numbers). */
  readonly numeric?: boolean;
}

export interface Cell {
  /** What is shown. */
  readonly text: ComponentChildren;
  /** The exact number behind a formatted cell, written to `data-value` (tests, exports). */
  readonly value?: number | null;
}

export type Row = Readonly<Record<string, Cell | string | number | null | undefined>>;

export interface DataTableProps {
  readonly caption: string;
  readonly columns: readonly Column[];
  readonly rows: readonly Row[];
  /** Visually hide the caption (kept for screen readers). */
  readonly hideCaption?: boolean;
  readonly testId?: string;
  readonly class?: string;
}

const asCell = (c: Row[string]): Cell =>
  c !== null && typeof c === 'object' ? c : { text: c === undefined || c === null ? '' : String(c) };

export function DataTable(p: DataTableProps) {
  return (
    <table class={p.class ?? 'data-table'} data-testid={p.testId}>
      <caption class={p.hideCaption ? 'visually-hidden' : undefined}>{p.caption}</caption>
      <thead>
        <tr>
          {p.columns.map((c) => (
            <th scope="col" class={c.numeric ? 'num' : undefined} key={c.key}>
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {p.rows.map((r, i) => (
          <tr key={i}>
            {p.columns.map((c, j) => {
              const cell = asCell(r[c.key]);
              const attrs = {
                class: c.numeric ? 'num' : undefined,
                'data-value': cell.value === undefined || cell.value === null ? undefined : String(cell.value),
              };
              return j === 0 ? (
                <th scope="row" {...attrs} key={c.key}>
                  {cell.text}
                </th>
              ) : (
                <td {...attrs} key={c.key}>
                  {cell.text}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
