export { findRepoRoot, cacheDir } from './lib/paths';
export { discoverProviderMirror, mirrorHoldsProvider, searchForMirror, AWS_PROVIDER_VERSION, MIRROR_ENV, type ProviderMirror } from './lib/mirror';
export {
  offlineTools,
  offlineToolsStatus,
  requireOfflineTools,
  offlineOverride,
  prepareOffline,
  validateIn,
  planIn,
  terraformValidate,
  terraformPlan,
  offlineValidateAndPlan,
  readSavedPlan,
  OVERRIDE_FILE,
  type OfflineTools,
  type OfflineWorkDir,
  type OfflineResult,
} from './lib/offline';
export { synthStack } from './lib/synth';
export { changesOfType, countByType, type TerraformPlan, type ResourceChange, type ValidateResult, type Diagnostic } from './lib/types';
export { itRequires, itOffline, type TestFn } from './lib/requires';
