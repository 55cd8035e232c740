/**
 * The backend's public module: what the CLI (and any other program) may use of the backend.
 * Everything else under src/backend is internal and may change shape without notice; the
 * import-graph test (test/architecture/layers.test.ts) keeps src/cli to this file.
 */
export { createLabeler, parseLabelerString, LabelerSpecSchema, type LabelerSpec } from './labelers/spec.ts';
export { labelFrame, LabelError, type Labeler } from './labelers/labeler.ts';
export type { Cp2kSettingsInput } from './labelers/cp2k-settings.ts';
export type { LabelOutcome } from './store/labels.ts';
export { DEFAULT_BODY_LIMIT, DEFAULT_CORS_ORIGINS, startService } from './server.ts';
export type { LabeledFrameRecord } from './export/labeled-frame.ts';
export { TrainJobSettingsSchema } from './schemas.ts';
export { estimateEnsembleTime, startEnsembleTraining } from './train/train-models.ts';
export { ExecutorConfigError, loadSlurmConfigFile, serviceSlurmSettings, type ExecutorDefaults, type SlurmSettings } from './executor/config.ts';
