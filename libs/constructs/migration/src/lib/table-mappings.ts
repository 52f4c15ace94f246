/** DMS table mappings and task settings, rendered from typed input (pure; unit tested). */

/** Schema of DMS's control tables on the target (`awsdms_apply_exceptions`, `awsdms_validation_failures_v1`). */
export const DMS_CONTROL_SCHEMA = 'awsdms_control';

export interface TableRule {
  /** Schema name or DMS pattern (`%` wildcard). */
  readonly schema: string;
  /** Table name or DMS pattern. @default '%' */
  readonly table?: string;
}

const PATTERN = /^[A-Za-z_%][A-Za-z0-9_$%-]{0,62}$/;

function check(kind: string, rules: readonly TableRule[]): void {
  rules.forEach((r, i) => {
    if (!PATTERN.test(r.schema)) throw new Error(`${kind}[${i}].schema: must be a PostgreSQL name or DMS pattern, got ${JSON.stringify(r.schema)}`);
    if (r.table !== undefined && !PATTERN.test(r.table)) throw new Error(`${kind}[${i}].table: must be a PostgreSQL name or DMS pattern, got ${JSON.stringify(r.table)}`);
  });
}

/**
 * The DMS table-mapping document: one `selection` rule per include (action `include`), then one per exclude
 * (action `exclude`). Rule ids are their 1-based position, so the document is stable for the same input.
 */
export function renderTableMappings(include: readonly TableRule[], exclude: readonly TableRule[] = []): string {
  if (include.length === 0) throw new Error('include: must name at least one schema/table rule, got none');
  check('include', include);
  check('exclude', exclude);
  const rule = (r: TableRule, action: 'include' | 'exclude', n: number) => ({
    'rule-type': 'selection',
    'rule-id': String(n),
    'rule-name': `${action}-${n}`,
    'object-locator': { 'schema-name': r.schema, 'table-name': r.table ?? '%' },
    'rule-action': action,
  });
  const rules = [...include.map((r, i) => rule(r, 'include', i + 1)), ...exclude.map((r, i) => rule(r, 'exclude', include.length + i + 1))];
  return JSON.stringify({ rules });
}

/**
 * Replication task settings: the target schema is created by the application's migrations (DMS only moves rows:
 * `DO_NOTHING`), row-level validation on (DMS compares source and target rows itself; `bluegreen data verify` is the
 * independent check before cutover), logging of every component to CloudWatch.
 */
export function renderTaskSettings(): string {
  const component = (id: string) => ({ Id: id, Severity: 'LOGGER_SEVERITY_DEFAULT' });
  return JSON.stringify({
    TargetMetadata: { SupportLobs: true, FullLobMode: false, LimitedSizeLobMode: true, LobMaxSize: 32 },
    FullLoadSettings: { TargetTablePrepMode: 'DO_NOTHING', CommitRate: 10000, MaxFullLoadSubTasks: 8 },
    Logging: {
      EnableLogging: true,
      LogComponents: ['SOURCE_UNLOAD', 'SOURCE_CAPTURE', 'TARGET_LOAD', 'TARGET_APPLY', 'TASK_MANAGER', 'VALIDATOR_EXT'].map(component),
    },
    ValidationSettings: {
      EnableValidation: true,
      ValidationMode: 'ROW_LEVEL',
      ThreadCount: 5,
      PartitionSize: 10000,
      FailureMaxCount: 10000,
      RecordFailureDelayLimitInMinutes: 0,
      TableFailureMaxCount: 1000,
      HandleCollationDiff: false,
      ValidationOnly: false,
    },
    // DMS's own tables (apply exceptions, validation failures) go to their own schema on the target, which
    // `bluegreen data verify` skips by default, instead of landing next to the application's tables.
    ControlTablesSettings: { ControlSchema: DMS_CONTROL_SCHEMA, HistoryTableEnabled: false, SuspendedTablesTableEnabled: false, StatusTableEnabled: false },
    ChangeProcessingTuning: { BatchApplyEnabled: false, CommitTimeout: 1, MemoryLimitTotal: 1024 },
    ErrorBehavior: {
      // A row DMS cannot apply stops the task (and raises the failure alarm) instead of being logged and skipped.
      DataErrorPolicy: 'STOP_TASK',
      TableErrorPolicy: 'SUSPEND_TABLE',
      RecoverableErrorCount: -1,
      RecoverableErrorInterval: 5,
      ApplyErrorUpdatePolicy: 'STOP_TASK',
      ApplyErrorInsertPolicy: 'STOP_TASK',
      ApplyErrorDeletePolicy: 'IGNORE_RECORD',
      FullLoadIgnoreConflicts: false,
    },
  });
}
