import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutputsError, parseOutputs, readOutputsFile, requireOutput } from '../src';

describe('outputs', () => {
  it('parses terraform output -json and drops sensitive values', () => {
    const o = parseOutputs(
      JSON.stringify({
        https_listener_arn: { value: 'arn:l', type: 'string', sensitive: false },
        secret_thing: { value: 'x', type: 'string', sensitive: true },
        list_thing: { value: ['a'], type: ['list', 'string'] },
      }),
    );
    expect(o).toEqual({ https_listener_arn: 'arn:l' });
  });

  it('accepts a flat name -> value map', () => {
    expect(parseOutputs('{"blue_target_group_arn":"arn:b"}')).toEqual({ blue_target_group_arn: 'arn:b' });
  });

  it.each([
    ['not JSON', 'nope', /not valid JSON/],
    ['an array', '[]', /must be a JSON object/],
  ])('refuses %s', (_n, text, msg) => expect(() => parseOutputs(text, 'f.json')).toThrow(msg));

  it('requireOutput names the missing output', () => {
    expect(() => requireOutput({}, 'https_listener_arn')).toThrow(new OutputsError("Terraform output 'https_listener_arn' is missing (is the stack deployed, and is this the right --outputs file?)"));
  });

  it('readOutputsFile reads a file and names it when unreadable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'outputs-'));
    try {
      writeFileSync(join(dir, 'o.json'), '{"alb_arn_suffix":{"value":"app/x/1"}}');
      expect(readOutputsFile(join(dir, 'o.json'))).toEqual({ alb_arn_suffix: 'app/x/1' });
      expect(() => readOutputsFile(join(dir, 'missing.json'))).toThrow(/cannot read outputs file .*missing\.json/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
