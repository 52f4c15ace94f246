// Terraform owns the weights: moving traffic (100/0 → 90/10) changes the HTTPS listener's default action and
// nothing else in the synthesized configuration, so the plan of a traffic shift touches one resource.
import { Testing } from 'cdktf';
import { deepDiff } from '../../test/deep-diff';
import { buildStack, resources } from '../../test/fixture';

describe('changing the weights', () => {
  it('changes only the HTTPS listener default action (deep diff of the synthesized JSON)', () => {
    const before = JSON.parse(Testing.synth(buildStack({ weights: { blue: 100, green: 0 } }).stack));
    const after = JSON.parse(Testing.synth(buildStack({ weights: { blue: 90, green: 10 } }).stack));
    const https = resources(before, 'aws_lb_listener').find(([n]) => n.includes('https-listener'))?.[0];
    expect(deepDiff(before, after)).toEqual([
      `resource.aws_lb_listener.${https}.default_action.0.forward.target_group.0.weight`,
      `resource.aws_lb_listener.${https}.default_action.0.forward.target_group.1.weight`,
    ]);
  });

  it('the diff helper sees a change anywhere (so an empty diff means something)', () => {
    expect(deepDiff({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] })).toEqual(['a.1.b']);
    expect(deepDiff({ a: 1 }, { a: 1, c: 2 })).toEqual(['c']);
    expect(deepDiff([1, 2], [1, 2, 3])).toEqual(['']);
    expect(deepDiff({ a: 'x' }, { a: 'x' })).toEqual([]);
  });
});
