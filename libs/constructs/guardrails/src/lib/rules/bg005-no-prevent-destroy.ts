import { first } from '../elements';
import { defineRule } from '../rule';

export const BG005 = defineRule({
  id: 'BG005',
  title: 'No lifecycle.prevent_destroy: every environment is destroyable; deletion protection is the switch',
  severity: 'medium',
  refuses: '`lifecycle.prevent_destroy`',
  reads: 'every resource',
  covers: [],
  fix: 'remove `lifecycle: { preventDestroy: true }` and use the deletion-protection setting of the environment config',
  check({ resources, report }) {
    for (const el of resources) if (first(el.body['lifecycle'])?.['prevent_destroy'] === true) report(el, 'lifecycle.prevent_destroy is true');
  },
});
