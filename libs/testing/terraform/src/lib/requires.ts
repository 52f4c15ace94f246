/**
 * Tests that need a tool the machine may not have (terraform, the provider mirror, a browser): they are skipped
 * visibly, with the reason in the title (listed again at the end of `npm test`), never passed by an early return.
 * Under `CI=true` they fail instead: CI must not pass on a proof that did not run.
 */
import { offlineToolsStatus } from './offline';

export type TestFn = (name: string, fn: jest.ProvidesCallback, timeout?: number) => void;

/** `it` when nothing is missing; otherwise a visible skip (a failure under CI=true) naming what is missing. */
export function itRequires(missing: string | undefined): TestFn {
  if (!missing) return (name, fn, timeout) => it(name, fn, timeout);
  if (process.env.CI === 'true') {
    return (name, _fn, timeout) =>
      it(
        `${name} [CI=true: cannot run, ${missing}]`,
        () => {
          throw new Error(`CI=true: this test cannot run here: ${missing}. CI must not skip it.`);
        },
        timeout,
      );
  }
  return (name, fn, timeout) => it.skip(`${name} [skipped: ${missing}]`, fn, timeout);
}

/** For tests that run the offline `terraform validate`/`plan`: skipped (failed under CI) without terraform or the mirror. */
export function itOffline(): TestFn {
  return itRequires(offlineToolsStatus().missing);
}
