import { checkCompatibility } from '@bluegreen/schema-compat';
import type { SchemaChecker } from './gates';

/**
 * The schema gate against the databases directly (`--blue-url/--green-url`): @bluegreen/schema-compat, read-only. With
 * a scope, only the service's schema, judged as its role.
 */
export function directSchemaChecker(blueUrl: string, greenUrl: string): SchemaChecker {
  return {
    describe: 'direct check of the blue and green databases',
    async check(scope) {
      const r = await checkCompatibility({
        blue: { url: blueUrl, applicationName: 'bluegreen-traffic-gate' },
        green: { url: greenUrl, applicationName: 'bluegreen-traffic-gate' },
        ...(scope ? { schemas: scope.schemas, ...(scope.appRole ? { appRole: scope.appRole } : {}) } : {}),
      });
      return {
        compatible: r.compatible,
        details: r.changes.filter((c) => c.compatibility !== 'compatible').map((c) => `${c.compatibility}: ${c.kind} ${c.object} (${c.detail})`),
      };
    },
  };
}
