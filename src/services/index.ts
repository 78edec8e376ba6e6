/** Digital services (issue 5, methodology §2.10, §5): the public API of the library. */
export * from './schema.js';
export { parseServiceText, validateServiceDefinition } from './parse.js';
export type { ParsedService } from './parse.js';
export { assessService, resolveModel } from './assess.js';
export type { AssessServiceOptions } from './assess.js';
export { compareAssessments, difference } from './compare.js';
export type { BreakdownComparison, CriterionComparison, Difference, ServiceComparison } from './compare.js';
export { evaluateAdemePreset, presetSituation } from './ademe.js';
export type { AdemeEvaluation } from './ademe.js';
export { ADEME_MODEL_NAME, ADEME_MODEL_VERSION, createAdemeEngine } from './ademe-model.js';
export { ADEME_PRESETS, findParameter, parameterDefault } from './ademe-presets.js';
export type { AdemeKind, AdemePreset, AdemeStage, PresetParameter } from './ademe-presets.js';
export { IndicatorRowSchema, indicatorsFromRows, inventoryKind } from './inventory-link.js';
export type { IndicatorRow, InventoryIndicator, InventoryIndicators } from './inventory-link.js';
export { createReferenceData, networkCode } from './reference-data.js';
export type { ServiceReferenceData } from './reference-data.js';
export * from './result.js';
export type { DocPath, ServiceSource } from './source.js';
