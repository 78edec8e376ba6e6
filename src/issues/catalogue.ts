/**
 * The one catalogue of issue codes (methodology §2.12 inputs, §3.5 referential, §4.0 calculation).
 * Severity: F = file rejected, R = line rejected, W = warning (line kept), E = indicator in error.
 * Messages are English templates with `{placeholder}`s; they are rendered only at the edges (CLI, server). French
 * templates (same codes, same placeholders) are in messages-fr.ts, for what the CLI prints for people (`--lang fr`).
 */
import { FR, FR_TRANSLATED_PLACEHOLDERS, FR_VALUES } from './messages-fr.js';

export type Severity = 'F' | 'R' | 'W' | 'E';

/** Language of the messages printed for people. Data outputs (JSON, CSV, rejects files) are always English. */
export type Lang = 'en' | 'fr';

/**
 * One entry: its severity and English template. `context` lists the placeholders an issue may leave to its rendering
 * context (an indicator error shared by the items of one reference item is rendered with the name of its row's item):
 * they are optional in the details, like the location (`file`, `line`, `column`).
 */
interface Entry {
  readonly severity: Severity;
  readonly message: string;
  readonly context?: readonly string[];
  /** Details kept in the data outputs that the template does not show. */
  readonly extra?: readonly string[];
}

/** `const`: the templates keep their literal types, from which the details of each code are derived. */
const defineCatalogue = <const T extends Record<string, Entry>>(c: T) => c;

export const CATALOGUE = defineCatalogue({
  // Server requests (issue 12): what the API refuses, as problem details; HTTP statuses in src/server/problem.ts
  APP_UNAUTHENTICATED: { severity: 'F', message: 'Authentication is required.' },
  APP_BAD_CREDENTIALS: { severity: 'F', message: 'The email or password is wrong.' },
  APP_FORBIDDEN: { severity: 'F', message: 'Your role does not allow {action}.' },
  APP_NOT_FOUND: { severity: 'F', message: '{kind} {id} does not exist.' },
  APP_CONFLICT: { severity: 'F', message: '{kind} {name} already exists.' },
  APP_CAMPAIGN_LOCKED: { severity: 'F', message: 'Campaign {id} is locked; an administrator must unlock it first.' },
  APP_CSRF: {
    severity: 'F',
    message: 'A cookie-authenticated write needs a valid X-CSRF-Token header and a same-origin Origin.',
  },
  APP_VALIDATION: { severity: 'F', message: 'The request is invalid.' },
  APP_INVALID: { severity: 'F', message: '{reason}' },
  APP_RATE_LIMITED: { severity: 'F', message: 'Too many requests; retry later.' },
  APP_PAYLOAD_TOO_LARGE: { severity: 'F', message: 'The request body is too large.' },
  APP_INTERNAL: { severity: 'F', message: 'Internal error.' },
  APP_RESET_INVALID: {
    severity: 'F',
    message: 'This password reset link is unknown, already used or expired; ask an administrator for a new one.',
  },
  APP_OIDC_REFUSED: { severity: 'F', message: 'OpenID Connect sign-in refused: {reason}.' },
  APP_UPLOAD_PURGED: {
    severity: 'F',
    message:
      "Upload {id} ({fileName}) was purged by the organisation's retention period: its raw file is gone, so the campaign cannot be re-assessed (its last results stay); upload the files into a new campaign to recompute.",
  },
  APP_REFERENTIAL_REFUSED: {
    severity: 'F',
    message:
      'Referential refused, no usable row ({refused} refused): {code} at {file} line {line} column {column}: {reason}',
  },
  // Server jobs and workers (issue 12)
  JOB_SQLITE_NO_WORKER: {
    severity: 'F',
    message:
      '{command} needs PostgreSQL (DATABASE_URL): on SQLite, jobs run inside the server process started by `empreinte serve`.',
  },
  JOB_ATTEMPTS_EXHAUSTED: {
    severity: 'F',
    message: 'The job failed after {attempts} attempt(s); last error: {reason}',
  },
  JOB_EXPIRED: {
    severity: 'F',
    message:
      'The job did not finish within {seconds} s or its worker stopped (crash, kill); it was given back to the queue.',
  },
  JOB_INTERRUPTED: {
    severity: 'F',
    message: 'The worker was stopped before the job ended; the job was given back to the queue.',
  },
  // §2.12 inputs
  INP_FILE_UNREADABLE: { severity: 'F', message: 'File {file} cannot be read: {reason}.' },
  INP_ENTRY_SKIPPED: { severity: 'W', message: 'Folder entry {file} is skipped: {reason}.' },
  INP_ITEM_NOT_FOUND: { severity: 'F', message: "No item named '{value}' in the inventory assessed." },
  OUT_UNWRITABLE: { severity: 'F', message: '{file} cannot be written: {reason}.' },
  OUT_FORMAT_LIMIT: { severity: 'F', message: 'The {format} output cannot hold {what}: the limit is {limit}.' },
  INP_ALL_LINES_REJECTED: {
    severity: 'F',
    message:
      'Every line of {file} was rejected ({rejected} line(s), read as {kind}): check that the file holds {kind} lines and, for a foreign export, its mapping (--mapping).',
  },
  INP_INVENTORY_EMPTY: {
    severity: 'F',
    message:
      'The inventory holds no item to assess (files read, with the kind detected and the lines imported/read: {inputs}); a result would be zero. Check the kind detected for each file (empreinte validate) and, for a foreign export, its mapping (--mapping).',
  },
  OUT_FILE_REQUIRED: {
    severity: 'F',
    message: '--format {format} does not write to the terminal: give {what} with --out.',
  },
  OUT_OVERWRITES_INPUT: {
    severity: 'F',
    message: '{option} {file} is the input {input} or inside it; choose a path outside the inputs.',
  },
  INP_ENCODING: {
    severity: 'F',
    message: 'File {file} is neither valid UTF-8 nor Windows-1252 text.',
    extra: ['reason'],
  },
  INP_FILE_KIND_UNKNOWN: { severity: 'F', message: 'File {file} does not match any known input format.' },
  INP_FILE_EMPTY: { severity: 'F', message: 'File {file} is empty: it has no header line.' },
  INP_HEADER_MISSING: { severity: 'F', message: '{file} header is missing mandatory columns: {columns}.' },
  INP_HEADER_DUPLICATE: { severity: 'F', message: '{file} header contains column {column} more than once.' },
  INP_HEADER_UNKNOWN: { severity: 'W', message: '{file} header has unknown columns: {columns}. They are ignored.' },
  INP_HEADER_UNKNOWN_STRICT: {
    severity: 'F',
    message: '{file} header has unknown columns: {columns}. Strict mode refuses the file, as the G4IT loader does.',
  },
  INP_HEADER_LEGACY: {
    severity: 'W',
    message: '{file} header has columns of older NumEcoEval files: {columns}. They are ignored.',
  },
  INP_TOO_MANY_REJECTS: {
    severity: 'F',
    message: '{file}: more than {max} lines were rejected; the whole file is rejected.',
  },
  INP_BAD_CSV: { severity: 'F', message: '{file}: the CSV structure is broken: {reason}.' },
  INP_TOO_LARGE: { severity: 'F', message: '{file} goes beyond a reader limit: {reason}; reading stopped.' },
  INP_FIELD_COUNT: { severity: 'R', message: 'Line {line}: expected {expected} fields, found {found}.' },
  INP_BAD_RECORD: { severity: 'R', message: 'Line {line}: the CSV record is malformed: {reason}.' },
  INP_REQUIRED: { severity: 'R', message: "Line {line}: field '{field}' is mandatory." },
  INP_MODEL_EMPTY: {
    severity: 'W',
    message: "Line {line}: field 'modele' is empty; the equipment is assessed from its type '{type}'.",
  },
  INP_TOO_LONG: { severity: 'R', message: "Line {line}: field '{field}' must be at most 255 characters." },
  INP_NOT_NUMBER: { severity: 'R', message: "Line {line}: field '{field}' must be a number (got '{value}')." },
  INP_NOT_POSITIVE: { severity: 'R', message: "Line {line}: field '{field}' must be greater than 0 (got {value})." },
  INP_NEGATIVE: { severity: 'R', message: "Line {line}: field '{field}' must not be negative (got {value})." },
  INP_NOT_INTEGER: {
    severity: 'R',
    message: "Line {line}: field '{field}' must be a positive integer (got '{value}').",
  },
  INP_OUT_OF_RANGE: {
    severity: 'R',
    message: "Line {line}: field '{field}' must be between {min} and {max} (got {value}).",
  },
  INP_BAD_DATE: {
    severity: 'R',
    message:
      "Line {line}: field '{field}' is not a valid date; accepted formats are YYYY-MM-DD, YYYYMMDD, DD/MM/YYYY and YYYY/MM/DD (got '{value}').",
  },
  INP_DATES_INVERTED: {
    severity: 'R',
    message: 'Line {line}: the purchase date {dateAchat} is after the withdrawal date {dateRetrait}.',
  },
  INP_BAD_ENUM: {
    severity: 'R',
    message: "Line {line}: field '{field}' accepts {allowed}; '{value}' is not recognised.",
  },
  INP_BAD_MONTH: { severity: 'R', message: "Line {line}: MoisAnnee must be a month written MMYYYY (got '{value}')." },
  INP_PUE_RANGE: {
    severity: 'R',
    message: 'Line {line}: the PUE of datacenter {name} must be strictly greater than 1 (got {value}).',
  },
  INP_HOURS_RANGE: {
    severity: 'R',
    message: "Line {line}: field '{field}' must not exceed 8760 hours per year (got {value}).",
  },
  INP_ALLOCATION_RANGE: {
    severity: 'R',
    message: 'Line {line}: the allocation factor cleRepartition must be between 0 and 1 (got {value}).',
  },
  INP_DUPLICATE_STRICT: {
    severity: 'R',
    message:
      "Line {line}: {entity} '{key}' appears {count} times (lines {lines}); strict mode rejects every copy, as the G4IT loader does.",
  },
  INP_DUPLICATE_KEY: {
    severity: 'R',
    message: "Line {line}: {entity} '{key}' is already defined on line {firstLine}.",
  },
  INP_UNKNOWN_DATACENTER: {
    severity: 'R',
    message: "Line {line}: datacenter '{name}' does not exist in the datacenter file.",
  },
  INP_HOST_REQUIRED: {
    severity: 'R',
    message:
      "Line {line}: virtual equipment '{vm}' must name its physical host unless typeInfrastructure is CLOUD_SERVICES.",
  },
  INP_UNKNOWN_HOST: {
    severity: 'R',
    message: "Line {line}: physical equipment '{host}' referenced by virtual equipment '{vm}' does not exist.",
  },
  INP_UNKNOWN_VM: {
    severity: 'R',
    message: "Line {line}: virtual equipment '{vm}' referenced by application '{app}' does not exist.",
  },
  INP_UNKNOWN_APP_HOST: {
    severity: 'R',
    message: "Line {line}: physical equipment '{host}' referenced by application '{app}' does not exist.",
  },
  INP_UNKNOWN_TYPE: {
    severity: 'R',
    message: "Line {line}: equipment type '{type}' does not exist in the active referential (known types: {known}).",
  },
  INP_UNKNOWN_LOCATION: {
    severity: 'R',
    message: "Line {line}: location '{value}' has no electricity factor in the active referential.",
  },
  INP_UNKNOWN_ENTITY: { severity: 'W', message: "Line {line}: entity '{value}' is not declared in the entity file." },
  INP_VCPU_MISSING: {
    severity: 'W',
    message:
      "Line {line}: virtual equipment '{vm}' of type calcul has no vCPU; its share falls back to an equal split.",
  },
  INP_STORAGE_MISSING: {
    severity: 'W',
    message:
      "Line {line}: virtual equipment '{vm}' of type stockage has no capaciteStockage; its share falls back to an equal split.",
  },
  INP_CLOUD_FIELD_REQUIRED: { severity: 'R', message: "Line {line}: field '{field}' is mandatory for cloud services." },
  INP_UNKNOWN_CLOUD_PROVIDER: {
    severity: 'R',
    message: "Line {line}: {what} '{value}' is unknown to the cloud referential.",
  },
  INP_UNKNOWN_CLOUD_INSTANCE: {
    severity: 'R',
    message: "Line {line}: {what} '{value}' is unknown to the cloud referential.",
  },
  INP_UNKNOWN_CLOUD_REGION: {
    severity: 'R',
    message: "Line {line}: {what} '{value}' is unknown to the cloud referential.",
  },
  INP_USAGE_SHARE_CONFLICT: {
    severity: 'W',
    message: 'Line {line}: both tauxUtilisation and modeUtilisation are given; tauxUtilisation is used.',
  },
  INP_DOWNSTREAM_WITHOUT_RATE: {
    severity: 'W',
    message: 'Line {line}: dureeUsageAval is given without tauxReemploi; a reuse rate of 1 is assumed.',
  },
  INP_PURCHASE_AFTER_REFERENCE: {
    severity: 'W',
    message: 'Line {line}: purchase date {date} is after the reference date {ref}.',
  },
  INP_RETIRED_BEFORE_PERIOD: {
    severity: 'W',
    message: 'Line {line}: withdrawal date {date} is before the start of the period {start}.',
  },
  INP_AMBIGUOUS_NUMBER: {
    severity: 'W',
    message: "Line {line}: field '{field}' value '{value}' is ambiguous; it was read as {read}.",
  },
  INP_ABSURD_VALUE: {
    severity: 'W',
    message: "Line {line}: field '{field}' value {value} is implausible for a {type} ({reason}).",
  },
  INP_FUTURE_DATE: { severity: 'W', message: "Line {line}: field '{field}' date {value} is in the future." },
  // column mappings (docs/mapping.md)
  INP_MAPPING_INVALID: { severity: 'F', message: 'Mapping {file} is invalid at {path}: {reason}.' },
  INP_SOURCES_INVALID: { severity: 'F', message: 'Sources file {file} is invalid at {path}: {reason}.' },
  INP_RESULT_INVALID: {
    severity: 'F',
    message: 'File {file} is not a result of assess --format json: {field}: {reason}.',
  },
  INP_MAPPING_EXCLUDED: { severity: 'R', message: 'Line {line}: excluded by mapping {mapping}: {reason}.' },
  INP_MAPPING_ROUNDED: {
    severity: 'W',
    message: "Line {line}: field '{field}' value {value} is not a whole number; rounded to {rounded}.",
  },
  // §3.5 referential
  REF_FILE_KIND_UNKNOWN: {
    severity: 'F',
    message: 'Referential file {file} does not match any known referential format.',
  },
  REF_HEADER_MISSING: { severity: 'F', message: 'Referential {kind} file {file} is missing columns: {columns}.' },
  REF_FIELD_COUNT: { severity: 'R', message: 'Row {line}: expected at most {expected} fields, found {found}.' },
  REF_BAD_NUMBER: { severity: 'R', message: "Row {line}: field '{field}' must be a number (got '{value}')." },
  REF_REQUIRED: { severity: 'R', message: "Row {line}: field '{field}' is mandatory." },
  REF_UNKNOWN_CRITERION: {
    severity: 'R',
    message: "Row {line}: criterion '{value}' is not declared and matches no alias.",
  },
  REF_UNKNOWN_STEP: {
    severity: 'R',
    message: "Row {line}: lifecycle step '{value}' is not declared and matches no alias.",
  },
  REF_UNKNOWN_ITEM_UNIT: {
    severity: 'W',
    message: "Row {line}: functional unit '{unit}' of item '{item}' is unknown; treated as Item.",
  },
  REF_DUPLICATE_KEY: {
    severity: 'W',
    message: 'Row {line}: key {key} already loaded in this layer; the later row replaces it.',
  },
  REF_INCONSISTENT_KWH: {
    severity: 'W',
    message: "Reference item '{item}' has several average consumptions; {value} is kept.",
  },
  REF_DANGLING_DEFAULT_ITEM: {
    severity: 'W',
    message: "Item type '{type}' names default item '{item}', which has no factor.",
  },
  REF_DANGLING_MATCHING: {
    severity: 'W',
    message: "Matching '{model}' → '{item}' targets an item with no factor.",
  },
  REF_HYPOTHESIS_INVALID: {
    severity: 'R',
    message: "Hypothesis '{code}' must be a number between {min} and {max} (got '{value}').",
  },
  REF_NEGATIVE_VALUE: {
    severity: 'R',
    message:
      'Row {line}: negative factor {value} for {criterion}; the row is refused (no RCP criterion of IT equipment has a negative factor).',
  },
  REF_NOT_FINITE: { severity: 'R', message: "Row {line}: field '{field}' is not a finite number (got '{value}')." },
  REF_LIFETIME_RANGE: {
    severity: 'R',
    message: "Row {line}: lifetime {value} of type '{type}' must be greater than 0 and at most 50 years.",
  },
  REF_BAD_BOOLEAN: {
    severity: 'R',
    message: "Row {line}: field '{field}' must be true/false, 1/0, oui/non or yes/no (got '{value}').",
  },
  REF_BAD_VALUE: {
    severity: 'R',
    message: "Row {line}: field '{field}' accepts {accepted}; got '{value}'.",
  },
  REF_BAD_ROW: { severity: 'R', message: 'Row {line}: the CSV record is malformed ({reason}); it is skipped.' },
  REF_TABLE_IGNORED: {
    severity: 'W',
    message: 'Referential {kind} file {file} is recognised but not used by the engine yet; it is ignored.',
  },
  REF_OTHER_OWNER_IGNORED: {
    severity: 'W',
    message: "{count} {table} row(s) owned by '{owner}' are ignored: the run's organisation is '{organisation}'.",
  },
  REF_UNKNOWN_LOCATION: {
    severity: 'W',
    message: "Row {line}: location '{value}' is not a known country; it is kept under that name.",
  },
  REF_PACK_INVALID: {
    severity: 'F',
    message: 'Pack {id}: manifest missing, unreadable or not matching the content ({reason}); the pack is refused.',
  },
  REF_NOTHING_USABLE: {
    severity: 'F',
    message:
      'Referential {id} has no usable row ({refused} refused); the run does not fall back to the default referential.',
  },
  REF_PACK_UNKNOWN: { severity: 'F', message: "Referential pack '{id}' does not exist; known packs: {known}." },
  // §4.0 calculation
  CALC_NO_REFERENCE_ITEM: {
    severity: 'E',
    message: "No reference item found for equipment '{name}' (model '{model}', type '{type}'); tried: {tried}.",
    context: ['name'],
  },
  CALC_FACTOR_MISSING: {
    severity: 'E',
    message: "Reference item '{item}' has no factor for step {step} and criterion {criterion}.",
  },
  CALC_ELEC_FACTOR_MISSING: {
    severity: 'E',
    message: "No electricity factor for location '{location}' and criterion {criterion}.",
  },
  CALC_ELECTRICITY_MISSING: {
    severity: 'E',
    message:
      "Missing electricity consumption for equipment '{name}': no consoElecAnnuelle and no average consumption on reference item '{item}'.",
    context: ['name'],
  },
  CALC_LIFESPAN_UNDETERMINED: {
    severity: 'E',
    message: "The lifespan of equipment '{name}' could not be determined.",
    context: ['name'],
  },
  CALC_HOST_IN_ERROR: {
    severity: 'E',
    message: "Host '{host}' has no valid indicator for {step}/{criterion}; '{vm}' cannot be allocated.",
  },
  CALC_MESSAGING_FACTOR_MISSING: {
    severity: 'E',
    message: 'No messaging factor (A, b) for criterion {criterion}.',
  },
  CALC_MESSAGING_UNIT_UNDECLARED: {
    severity: 'E',
    message: 'The unit of volumeTotalMailEmis must be declared (option messagingVolumeUnit).',
  },
  CALC_CLOUD_PLATFORM_UNKNOWN: {
    severity: 'E',
    message: "Cloud instance '{instance}' has no platform description.",
  },
  CALC_SERVICE_PARAMETER_MISSING: {
    severity: 'E',
    message: "Digital service '{service}': parameter '{parameter}' is required.",
  },
  CALC_NOT_FINITE: {
    severity: 'E',
    message: "The {step}/{criterion} indicator of '{name}' overflows the number range; it is counted as an error.",
  },
  CALC_MODEL_FALLBACK: {
    severity: 'W',
    message: "Model '{model}' has no matching reference item; default item '{item}' of type '{type}' is used.",
  },
  CALC_LIFESPAN_FLOORED: { severity: 'W', message: "Lifespan of '{name}' raised from {value} to {min} year(s)." },
  CALC_DEFAULT_PUE: { severity: 'W', message: "Default PUE {value} applied to '{name}'." },
  // F16: tailleDuDisque alone does not say whether the disk is an SSD or an HDD.
  CALC_DISK_KIND_UNKNOWN: {
    severity: 'W',
    message:
      'Disk of {value} GB counted as one SSD: the disk kind is unknown (describe disks with nbSsd, tailleSsd, nbHdd).',
  },
  CALC_ALLOCATION_OVER_100: {
    severity: 'W',
    message: "Shares of the virtual equipment on host '{host}' sum to {sum}, more than 1.",
  },
  CALC_OUT_OF_PERIOD: {
    severity: 'W',
    message:
      "'{name}' is not in service during the period {start} to {end} (in service {from} to {to}); left out of the totals.",
  },
  // digital services (§2.10, §5)
  SVC_FILE_INVALID: { severity: 'F', message: 'Service file {file} is not valid YAML or JSON: {reason}.' },
  SVC_FIELD_INVALID: { severity: 'F', message: "Service {file}: field '{field}' is invalid: {reason}." },
  SVC_UNKNOWN_KIND: {
    severity: 'F',
    message: "Service {file}: unknown service kind or preset '{value}'; known: {allowed}.",
  },
  SVC_UNKNOWN_PARAMETER: {
    severity: 'F',
    message: "Service {file}: preset '{preset}' has no parameter '{parameter}'; known: {allowed}.",
  },
  SVC_BAD_PARAMETER_VALUE: {
    severity: 'F',
    message:
      "Service {file}: parameter '{parameter}' of preset '{preset}' accepts {allowed}; '{value}' is not recognised.",
  },
  SVC_MODEL_MISMATCH: {
    severity: 'F',
    message: "Service {file}: model '{model}' cannot compute kind '{kind}'; use {allowed}.",
  },
  SVC_SHARES_OVER_100: {
    severity: 'F',
    message: "Service {file}: the shares of '{field}' sum to {sum}, more than 1 (100 %).",
  },
  SVC_SHARES_NORMALISED: {
    severity: 'W',
    message: "Service {file}: the shares of '{field}' sum to {sum}; they are normalised to 1.",
  },
  SVC_UNKNOWN_DEVICE: {
    severity: 'F',
    message: "Service {file}: device '{item}' is not in the referential; known devices: {allowed}.",
  },
  SVC_UNKNOWN_NETWORK: {
    severity: 'F',
    message: "Service {file}: network type '{value}' is unknown; known: {allowed}.",
  },
  SVC_INVENTORY_REQUIRED: {
    severity: 'F',
    message: "Service '{service}' links to {kind} '{name}' but no assessed inventory was given.",
  },
  SVC_UNKNOWN_INVENTORY_OBJECT: {
    severity: 'F',
    message: "Service '{service}': {kind} '{name}' has no indicator in the assessed inventory.",
  },
  SVC_INVENTORY_ROW_IN_ERROR: {
    severity: 'W',
    message: "Service '{service}': {kind} '{name}' has an indicator in error for {step}/{criterion}; it counts as 0.",
  },
  SVC_MODEL_QUIRK: { severity: 'W', message: "ADEME model {version}, rule '{rule}': {quirk}." },
  SVC_INVENTORY_INVALID: { severity: 'F', message: 'Inventory indicators file {file} is invalid: {reason}.' },
  SVC_G4IT_INVALID: {
    severity: 'F',
    message: 'G4IT digital-service file {file} cannot be imported: {reason}.',
  },
  SVC_G4IT_UNSUPPORTED: {
    severity: 'F',
    message: "Service {file}: '{field}' cannot be written in G4IT's digital-service files: {reason}.",
  },
  // steering over the API (issue 13)
  STR_CAMPAIGN_NOT_ASSESSED: {
    severity: 'F',
    message: 'Campaign {campaign} has no assessment yet: assess it before comparing it or running a scenario on it.',
  },
  STR_NO_ASSESSED_CAMPAIGN: {
    severity: 'F',
    message: 'The levers of an action are priced on an assessed campaign; the organisation has none yet.',
  },
});

export type IssueCode = keyof typeof CATALOGUE;
export type DetailValue = string | number;
/** The details of an issue as stored and read (any code). */
export type IssueDetails = Readonly<Record<string, DetailValue>>;

/** The `{placeholder}` names of a message template, e.g. `'line' | 'field'` for "Line {line}: field '{field}'…". */
export type Placeholders<S extends string> = S extends `${string}{${infer K}}${infer Rest}`
  ? K | Placeholders<Rest>
  : never;

/** The English template of a code, as a literal type. */
export type Template<C extends IssueCode> = (typeof CATALOGUE)[C]['message'];

/** The location keys: always optional in details, their placeholders filled from the issue's location if absent. */
type LocationKey = 'file' | 'line' | 'column';
type ListOf<C extends IssueCode, F extends 'context' | 'extra'> = (typeof CATALOGUE)[C] extends {
  readonly [P in F]: readonly (infer K extends string)[];
}
  ? K
  : never;
/** Placeholders an issue may leave to its rendering context. */
type ContextKey<C extends IssueCode> = ListOf<C, 'context'>;
/** Details recorded for the data outputs that the template does not show. */
type ExtraKey<C extends IssueCode> = ListOf<C, 'extra'>;
type RequiredKey<C extends IssueCode> = Exclude<Placeholders<Template<C>>, LocationKey | ContextKey<C>>;
type OptionalKey<C extends IssueCode> = LocationKey | ContextKey<C> | ExtraKey<C>;

/**
 * The details `issue(code, details)` takes for a code, derived from its template at compile time: every placeholder
 * is required but the location's and those of the code's `context`; the code's `extra` details and the location are
 * optional; any other name is a compile error (so is a missing or misspelt placeholder).
 */
export type IssueDetailsOf<C extends IssueCode> = C extends IssueCode
  ? { readonly [K in RequiredKey<C>]: DetailValue } & { readonly [K in OptionalKey<C>]?: DetailValue }
  : never;

/** Codes whose templates need no detail (`issue(code)` alone is complete). */
export type CodeWithoutDetails = { [C in IssueCode]: [RequiredKey<C>] extends [never] ? C : never }[IssueCode];

/** Where an issue was found. `column` is the header name of the offending cell when there is one. */
export interface Location {
  readonly file?: string;
  readonly line?: number;
  readonly column?: string;
}

export interface Issue extends Location {
  readonly code: IssueCode;
  readonly severity: Severity;
  readonly details: IssueDetails;
}

export function issue<C extends IssueCode>(code: C, details: IssueDetailsOf<C>, at?: Location): Issue;
export function issue(code: CodeWithoutDetails): Issue;
export function issue<C extends IssueCode>(code: C, details?: IssueDetailsOf<C>, at: Location = {}): Issue {
  const d: IssueDetails = details ?? {};
  return { code, severity: CATALOGUE[code].severity, details: d, ...at };
}

/**
 * The same issue with some of its details replaced (its code's other details were checked when it was made): an item
 * that follows another one out of the period, say, gets the other's issue with its own name.
 */
export function withDetails<C extends IssueCode>(
  i: Issue & { readonly code: C },
  details: Partial<IssueDetailsOf<C>>,
): Issue {
  return { ...i, details: { ...i.details, ...details } };
}

/**
 * The message of an issue (English unless `lang` says otherwise), placeholders filled from its details and location.
 * `context` fills placeholders the issue's own details leave open: an indicator error shared by many items (e.g.
 * CALC_ELECTRICITY_MISSING) is rendered with the name of the item of its row.
 */
export function issueMessage(i: Issue, context: IssueDetails = {}, lang: Lang = 'en'): string {
  const values: Record<string, string | number | undefined> = { file: i.file, line: i.line, ...context, ...i.details };
  let template = lang === 'fr' ? FR[i.code] : CATALOGUE[i.code].message;
  // Kind names given as placeholder values (`physical equipment`, `datacenter`…) are English labels: French names them.
  if (lang === 'fr')
    for (const k of FR_TRANSLATED_PLACEHOLDERS) {
      const v = values[k];
      if (typeof v === 'string' && FR_VALUES[v] !== undefined) values[k] = FR_VALUES[v];
    }
  // An issue without a line (a command-line option, a whole file) drops the "Line {line}:" lead of row templates.
  if (values.line === undefined && /^(Line|Row|Ligne|Rangée) \{line\}/.test(template)) {
    const rest = template.replace(/^(Line|Row|Ligne|Rangée) \{line\}\s?:\s*/, '');
    template = rest.charAt(0).toUpperCase() + rest.slice(1);
  }
  return template.replace(/\{(\w+)\}/g, (_m, k: string) => String(values[k] ?? `{${k}}`));
}

/** One line for a terminal: `file:line:column: CODE message` (message in `lang`, English by default). */
export function formatIssue(i: Issue, lang: Lang = 'en'): string {
  const where = [i.file, i.line, i.column].filter((x) => x !== undefined && x !== '').join(':');
  return `${where ? where + ': ' : ''}${i.code} ${issueMessage(i, {}, lang)}`;
}

/** A problem that stops the run (file-level): carries its issue; the CLI turns it into exit 2. */
export class EmpreinteError extends Error {
  constructor(readonly issue: Issue) {
    super(formatIssue(issue));
    this.name = 'EmpreinteError';
  }
}
