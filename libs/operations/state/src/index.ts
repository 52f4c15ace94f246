export { stateLocation, stateUrl, StateReadError, type StateLocation, type StateObject, type StateObjectPort } from './lib/ports';
export { formatStateText, moduleOf, summarizeState, type DatabaseSummary, type Painter, type StateListenerWeights, type StateResourceSummary, type StateSummary } from './lib/summary';
export { readRemoteState, stateShow, type StateShowOptions, type StateShowResult } from './lib/workflows';
