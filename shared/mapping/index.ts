/** The mapping spec: read, compile, suggest, presets (see each module). */
export {
  MAPPING_SPEC_VERSION,
  MappingSpecSchema,
  parseMappingSpec,
  parseMappingSpecText,
  serializeMappingSpec,
  type ActiveMapping,
  type AttributeMapping,
  type EmptyPolicy,
  type GroupsMapping,
  type ManagerKey,
  type ManagerMapping,
  type MappingSpec,
  type MatchSpec,
  type Source,
  type Transform,
} from './spec';
export { MappingError, type MappingProblem } from './errors';
export {
  compileMapping,
  MANAGER_TARGET,
  type CompiledMapping,
  type CompileOptions,
} from './compile';
export {
  suggestMapping,
  type ColumnConfidence,
  type MappingSuggestion,
  type SuggestOptions,
} from './suggest';
export {
  detectPreset,
  getPreset,
  leadingLinesToSkip,
  PRESETS,
  type MappingPreset,
  type PresetId,
} from './presets';
export { findManagerCycles } from './manager-graph';
export { DEFAULT_FALSE_WORDS, DEFAULT_TRUE_WORDS } from './words';
