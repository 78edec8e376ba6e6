/** Column mappings: public API (docs/mapping.md). */
export { applyMapping, type AppliedMapping, type ApplyOptions, type MappedRow } from './apply.js';
export { convertDate, convertUnit } from './convert.js';
export { autoMapTable, firstRows, loadMapping, mapTableWith, toTableMapping } from './hooks.js';
export {
  loadMappingFile,
  parseMappingText,
  presetMapping,
  readMapping,
  resolveMapping,
  validateMappingFile,
} from './loader.js';
export type { FieldRule, Mapping, MappingFile, Preset } from './model.js';
export { PRESETS, detectPreset, presetById } from './presets/index.js';
export { suggestMapping, type Suggestion } from './suggest.js';
