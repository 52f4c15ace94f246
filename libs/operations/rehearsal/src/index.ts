export { rehearse, type RehearseOptions } from './lib/rehearse';
export { SCENARIO_SPECS, judge, type ScenarioSpec } from './lib/scenarios';
export { SCENARIOS, type Kpi, type RehearsalEvent, type RehearsalFacts, type RehearsalResult, type RehearsalSettings, type ScenarioName, type TimelineSample, type EventKind, type FailedRequest } from './lib/types';
export { formatText, kpiTable, exitCodeOf } from './lib/report/text';
export { renderHtml } from './lib/report/html';
export type { ListenerPort, ColourSignalsPort, TargetHealthPort, TrafficPorts } from './lib/ports';
