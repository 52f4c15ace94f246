import { diffSynthesized } from '../src';

const listener = (w: [number, number]) => ({
  '//': { metadata: { path: 'dev/compute/https' } },
  port: 443,
  default_action: [{ type: 'forward', forward: { target_group: [{ arn: '${aws_lb_target_group.blue.arn}', weight: w[0] }, { arn: '${aws_lb_target_group.green.arn}', weight: w[1] }] } }],
});

describe('diffSynthesized', () => {
  it('sees only the listener default_action change in a weight shift, ignoring metadata', () => {
    const before = { resource: { aws_lb_listener: { https: listener([100, 0]) }, aws_ecs_service: { blue: { desired_count: 2 } } } };
    const after = { resource: { aws_lb_listener: { https: { ...listener([90, 10]), '//': { metadata: { path: 'moved' } } } }, aws_ecs_service: { blue: { desired_count: 2 } } } };
    expect(diffSynthesized(before, after)).toEqual([{ address: 'aws_lb_listener.https', action: 'update', attributes: ['default_action'] }]);
  });

  it('reports creations, deletions and other updates', () => {
    const before = { resource: { aws_ecs_service: { blue: { desired_count: 2 }, old: {} } } };
    const after = { resource: { aws_ecs_service: { blue: { desired_count: 0 } }, aws_sns_topic: { t: {} } } };
    expect(diffSynthesized(before, after)).toEqual([
      { address: 'aws_ecs_service.blue', action: 'update', attributes: ['desired_count'] },
      { address: 'aws_ecs_service.old', action: 'delete', attributes: [] },
      { address: 'aws_sns_topic.t', action: 'create', attributes: [] },
    ]);
  });

  it('is empty for identical documents', () => {
    expect(diffSynthesized({ resource: { a: { b: { c: 1 } } } }, { resource: { a: { b: { c: 1 } } } })).toEqual([]);
  });
});
