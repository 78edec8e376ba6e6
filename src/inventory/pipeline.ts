/**
 * Inventory reading and validation pipeline (methodology §2, issue 4): files or folders → tables → kind detected from
 * each header → rows parsed and validated → items streamed to a sink in dependency order, with exact per-file
 * accounting (lines read = imported + rejected, asserted) and rejects files.
 *
 * Order (§2.11): entities, datacenters, then an INDEX pre-pass over virtual equipment and applications (only when the
 * sink asks for it, so the engine can build host/VM indexes before hosts arrive), then physical equipment, virtual
 * equipment, applications, non-IT items, messaging. References are checked against indexes of the lines already
 * accepted (never by rescanning): equipment → datacenter, VM → host, application → VM (or host), any row → entity.
 * A line rejected in a referenced file is absent from the index, so its dependants fail with the reference error.
 *
 * Natural-key duplicates: the first line that parses is kept, later ones are rejected with `INP_DUPLICATE_KEY` naming
 * it. The key is registered once the line parses, before its references are checked, so that the pre-pass and the
 * main pass agree; a duplicate of a line rejected for a dangling reference is therefore rejected too.
 *
 * Strict mode reproduces the G4IT loader (§2.11; `teamg4it/g4it` `CheckConstraintService` and its `load_reject`
 * fixture): a KEY pre-pass over every file reads the raw natural keys of every line (parsed or not) before anything is
 * streamed; every copy of a key met more than once is rejected (`INP_DUPLICATE_STRICT`), next to the line's own errors;
 * references are checked by name alone, case-insensitively, against the names present in the referenced files (lines
 * rejected for their own errors included) minus the names rejected as duplicates; an application must name its VM.
 *
 * The steps live in `src/inventory/pipeline/` (read `open.ts`, map and validate `parse.ts`, index and resolve
 * `natural-key.ts` / `strict-keys.ts` / `references.ts`, the passes `prepasses.ts` and `stream.ts`, accounting
 * `report.ts`), each with the state it owns; `run.ts` chains them. This module is the stable entry point.
 */
export { processInventory } from './pipeline/run.js';
export { naturalKey } from './pipeline/natural-key.js';
export type {
  FileReport,
  InputSource,
  InventoryResult,
  InventorySink,
  MapTable,
  MappedRecord,
  ProcessOptions,
  RejectedLine,
  TableMapping,
} from './pipeline/types.js';
