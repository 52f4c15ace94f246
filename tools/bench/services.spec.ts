// The stacks bench:services times are real environment stacks: they synthesize with the guardrails on, and each
// service adds the same resources (what "resources per service" in the benchmark output counts).
import { synthOnce } from './services';

describe('bench:services stacks', () => {
  it('synthesize with the guardrails, adding 44 resources per service', () => {
    const one = synthOnce(['dev'], 1);
    const three = synthOnce(['dev'], 3);
    expect(one.resources).toBeGreaterThan(100);
    expect(three.resources - one.resources).toBe(2 * 44);
  }, 120_000);
});
