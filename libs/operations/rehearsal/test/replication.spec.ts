import { execSql, startDatabases, type RehearsalDatabases } from '../src/lib/standins/databases';
import { FORWARD_TASK_ARN, localReplication, REVERSE_TASK_ARN, REPLICATION_INSTANCE_ID, type LocalReplication } from '../src/lib/standins/replication';

const until = async (what: string, probe: () => Promise<boolean>, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('logical replication behind the DmsPort', () => {
  let dbs: RehearsalDatabases;
  let dms: LocalReplication;
  beforeAll(async () => {
    dbs = await startDatabases({ newSchema: 'v2', initialRows: 50 });
    dms = await localReplication(dbs, 300);
  }, 90_000);
  afterAll(async () => {
    await dms?.stop();
    await dbs?.stop();
  });

  it('runs forward (full load + CDC), then reverse from its start instant, with no change sent back', async () => {
    expect(await dms.describeTask(FORWARD_TASK_ARN)).toMatchObject({ status: 'ready' });
    await dms.startTask(FORWARD_TASK_ARN, { kind: 'start-replication' });
    await until('forward running, full load done', async () => {
      const s = await dms.describeTask(FORWARD_TASK_ARN);
      return s.status === 'running' && s.fullLoadPercent === 100;
    });
    await execSql(dbs.old.url, "INSERT INTO items (id, colour, payload) VALUES ('f-1', 'blue', 'x')");
    await until('f-1 on the new database', async () => (await execSql(dbs.new.url, "SELECT 1 FROM items WHERE id = 'f-1'")).length === 1);
    expect(await dms.validation(FORWARD_TASK_ARN)).toEqual({ tables: 1, validated: 1, pending: 0, failed: 0, failedTables: [] });
    const lat = await dms.cdcLatency({ taskArn: FORWARD_TASK_ARN, instanceId: REPLICATION_INSTANCE_ID }, 10);
    expect(lat.target).toBeLessThan(5);

    await dms.stopTask(FORWARD_TASK_ARN);
    await until('forward stopped', async () => (await dms.describeTask(FORWARD_TASK_ARN)).status === 'stopped');
    expect(await dms.cdcLatency({ taskArn: FORWARD_TASK_ARN, instanceId: REPLICATION_INSTANCE_ID }, 10)).toEqual({});
    // Written on the new database before the reverse task starts: not part of the way back (its start is later).
    await execSql(dbs.new.url, "INSERT INTO items (id, colour, payload) VALUES ('before-reverse', 'green', 'x')");
    await dms.startTask(REVERSE_TASK_ARN, { kind: 'start-replication' });
    await until('reverse running', async () => (await dms.describeTask(REVERSE_TASK_ARN)).status === 'running');
    await execSql(dbs.new.url, "INSERT INTO items (id, colour, payload) VALUES ('r-1', 'green', 'y')");
    await until('r-1 on the old database', async () => (await execSql(dbs.old.url, "SELECT 1 FROM items WHERE id = 'r-1'")).length === 1);
    expect(await execSql(dbs.old.url, "SELECT id FROM items WHERE id = 'before-reverse'")).toEqual([]);

    // Forward resumed: only what was written on the old database itself is sent (origin = none), not r-1 again.
    await dms.stopTask(REVERSE_TASK_ARN);
    await execSql(dbs.old.url, "INSERT INTO items (id, colour, payload) VALUES ('f-2', 'blue', 'z')");
    await dms.startTask(FORWARD_TASK_ARN, { kind: 'resume-processing' });
    await until('f-2 on the new database', async () => (await execSql(dbs.new.url, "SELECT 1 FROM items WHERE id = 'f-2'")).length === 1);
    expect(await dms.describeTask(FORWARD_TASK_ARN)).toMatchObject({ status: 'running' });
  }, 90_000);
});
