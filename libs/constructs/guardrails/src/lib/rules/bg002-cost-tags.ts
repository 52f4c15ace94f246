import { TerraformStack } from 'cdktf';
import { collect, first, type Body } from '../elements';
import { defineRule } from '../rule';

export const BG002 = defineRule({
  id: 'BG002',
  title: 'Cost-allocation tags (Environment, Project, Owner, CostCenter, ManagedBy) are set as AWS provider default_tags',
  severity: 'low',
  refuses: 'an AWS provider without `default_tags` Environment/Project/Owner/CostCenter/ManagedBy, a stack without an AWS provider, a resource blanking a required tag',
  reads: "provider `aws`, every resource's `tags`",
  covers: [],
  fix: 'give every AwsProvider `defaultTags: [{ tags: defaultTags(config) }]` and never blank a required tag on a resource',
  check({ root, elements, resources, options, report }) {
    const providers = elements.filter((e) => e.kind === 'provider' && e.type === 'aws');
    if (providers.length === 0) {
      // A subtree without its own provider inherits the stack's.
      const stack = TerraformStack.of(root);
      const stackProviders = stack === root ? [] : collect(stack).filter((e) => e.kind === 'provider' && e.type === 'aws');
      if (stackProviders.length === 0) report(undefined, 'no AWS provider with default_tags in this stack', root.node.path);
      providers.push(...stackProviders);
    }
    for (const p of providers) {
      const tags = (first(p.body['default_tags'])?.['tags'] ?? {}) as Body;
      const missing = options.requiredTags.filter((k) => typeof tags[k] !== 'string' || (tags[k] as string).trim() === '');
      if (missing.length > 0) report(p, `AWS provider default_tags lack ${missing.join(', ')}`);
    }
    for (const el of resources) {
      const tags = el.body['tags'];
      if (tags && typeof tags === 'object') {
        const blanked = options.requiredTags.filter((k) => k in (tags as Body) && String((tags as Body)[k]).trim() === '');
        if (blanked.length > 0) report(el, `tags blank the required tag(s) ${blanked.join(', ')}`);
      }
    }
  },
});
