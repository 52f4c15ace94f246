import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contractFromOutputs, contractFromStateText, OutputsError, readOutputsFile, remoteStateOutputsPort } from '../src';
import { testContract } from '@bluegreen/testing-aws';

describe('outputs: the bluegreen contract output', () => {
  it('reads it from terraform output -json and says where it came from', () => {
    const dir = mkdtempSync(join(tmpdir(), 'outputs-'));
    try {
      const file = join(dir, 'o.json');
      writeFileSync(file, JSON.stringify({ vpc_id: { value: 'vpc-1', type: 'string' }, bluegreen: { value: testContract(), type: ['object', {}], sensitive: false } }));
      const r = readOutputsFile(file);
      expect(r.contract.ecsClusterName).toBe('ecs-cluster-dev');
      expect(r.source).toBe(`file ${file} (--outputs)`);
      expect(() => readOutputsFile(join(dir, 'missing.json'))).toThrow(OutputsError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the outputs there are when the contract output is missing', () => {
    expect(() => contractFromOutputs({ https_listener_arn: { value: 'x' } }, 'o.json')).toThrow(/o.json: has no output 'bluegreen' \(outputs: https_listener_arn\)/);
    expect(() => contractFromOutputs({}, 's3://b/k')).toThrow(/no outputs at all: is the stack deployed/);
  });

  it('reads it from a state document (the remote state object)', async () => {
    const text = JSON.stringify({ version: 4, serial: 3, outputs: { bluegreen: { value: testContract(), type: ['object', {}] } }, resources: [] });
    expect(contractFromStateText(text, 's3://b/k').environment).toBe('dev');
    const port = remoteStateOutputsPort(async () => ({ text, source: 's3://b/dev/terraform.tfstate (remote state)' }));
    expect((await port.read()).source).toBe('s3://b/dev/terraform.tfstate (remote state)');
    expect(() => contractFromStateText('nope', 's3://b/k')).toThrow(/the state is not JSON/);
  });
});
