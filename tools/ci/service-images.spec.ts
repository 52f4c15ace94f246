import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { environmentRepositories, imagePlan, ImagePlanError, main, requestedProjects, serviceImageProjects, summary } from './service-images';

const ROOT = resolve(__dirname, '..', '..');

describe('service images: which to build, where to push', () => {
  const projects = serviceImageProjects(ROOT);
  const repositories = environmentRepositories(ROOT);

  it('finds the service image projects: apps/services/<service>, project service-<service>, with a container target', () => {
    expect(projects).toEqual([
      { service: 'catalog', project: 'service-catalog', root: join('apps', 'services', 'catalog') },
      { service: 'monolith', project: 'service-monolith', root: join('apps', 'services', 'monolith') },
    ]);
  });

  it("pushes a service's image to the repository each environment's stack keeps for it", () => {
    expect(repositories).toEqual({
      dev: { monolith: '111111111111.dkr.ecr.us-east-1.amazonaws.com/ecr-monolith-dev', catalog: '111111111111.dkr.ecr.us-east-1.amazonaws.com/ecr-catalog-dev' },
      prod: { monolith: '333333333333.dkr.ecr.us-east-1.amazonaws.com/ecr-monolith-prod' },
      staging: { monolith: '222222222222.dkr.ecr.us-east-1.amazonaws.com/ecr-monolith-staging' },
    });
  });

  it('builds only the affected services, and pushes each to the environments that run it', () => {
    expect(imagePlan([], projects, repositories)).toEqual({ builds: [], pushes: [], unused: [] });
    const plan = imagePlan(['service-monolith', 'service-catalog'], projects, repositories);
    expect(plan.builds).toEqual([
      { service: 'catalog', project: 'service-catalog' },
      { service: 'monolith', project: 'service-monolith' },
    ]);
    // dev has carved catalog out of the monolith; staging and prod run the monolith alone.
    expect(plan.pushes.map((p) => `${p.service}->${p.environment}`)).toEqual(['catalog->dev', 'monolith->dev', 'monolith->prod', 'monolith->staging']);
    expect(plan.unused).toEqual([]);
    // Before dev listed catalog, its image was built and checked but pushed nowhere.
    const before = { ...repositories, dev: { monolith: repositories.dev.monolith } };
    const early = imagePlan(['service-catalog'], projects, before);
    expect(early.unused).toEqual(['catalog']);
    expect(summary(early)).toContain('catalog: no environment lists this service yet; built and checked, pushed nowhere');
  });

  it('builds named services on request, changed or not (a first push, a retry), and refuses unknown names', () => {
    expect(requestedProjects('all', projects)).toEqual(['service-catalog', 'service-monolith']);
    expect(requestedProjects('monolith', projects)).toEqual(['service-monolith']);
    expect(() => requestedProjects('monolith,payments', projects)).toThrow('--services: unknown service(s) payments; service image projects: catalog, monolith (or all)');
    expect(main('', ROOT, 'payments')).toBe(2);
  });

  it('cannot decide on input that is not a list of projects, or on a container project that is not a service image project', () => {
    expect(() => imagePlan({ projects: [] }, projects, repositories)).toThrow(ImagePlanError);
    expect(() => imagePlan(['service-monolith', 'dev'], projects, repositories)).toThrow(/not service image projects .*: dev/);
    expect(main('not json', ROOT)).toBe(2);
    const root = mkdtempSync(join(tmpdir(), 'svc-images-'));
    mkdirSync(join(root, 'apps', 'services', 'billing'), { recursive: true });
    writeFileSync(join(root, 'apps', 'services', 'billing', 'project.json'), JSON.stringify({ name: 'billing', targets: { container: {} } }));
    expect(() => serviceImageProjects(root)).toThrow(/must be named "service-billing" \(service-<folder>\), got "billing"/);
    writeFileSync(join(root, 'apps', 'services', 'billing', 'project.json'), JSON.stringify({ name: 'service-billing', targets: {} }));
    expect(() => serviceImageProjects(root)).toThrow(/needs a 'container' target/);
  });
});

describe('the service-images workflow', () => {
  type Step = { uses?: string; run?: string; with?: Record<string, string>; env?: Record<string, string> };
  type Job = { needs?: string | string[]; if?: string; environment?: unknown; permissions?: Record<string, string>; strategy?: { matrix: unknown }; steps: Step[] };
  const wf = parse(readFileSync(join(ROOT, '.github', 'workflows', 'service-images.yml'), 'utf8')) as { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, Job> };
  const runs = (job: string) => wf.jobs[job].steps.map((s) => s.run ?? '').join('\n');

  it('runs on main and decides with nx affected over the projects that have a container target', () => {
    expect(wf.on['push']).toEqual({ branches: ['main'] });
    expect(wf.permissions).toEqual({ contents: 'read' });
    expect(runs('plan')).toContain('npx nx show projects --affected --withTarget container --json');
    expect(runs('plan')).toContain('tools/ci/service-images.ts');
    expect(runs('plan')).toContain('tools/ci/service-images.ts --services "$SERVICES"');
  });

  it('builds each affected image once, tagged with the commit, and pushes that same image to each environment', () => {
    expect(wf.jobs['build'].strategy?.matrix).toBe('${{ fromJSON(needs.plan.outputs.builds) }}');
    expect(runs('build')).toContain(':container --tag="${{ matrix.service }}:${{ github.sha }}"');
    const push = wf.jobs['push'];
    expect(push.needs).toEqual(['plan', 'build']);
    expect(push.strategy?.matrix).toBe('${{ fromJSON(needs.plan.outputs.pushes) }}');
    expect(push.environment).toBe('${{ matrix.environment }}-images');
    expect(push.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    const creds = push.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    expect(creds?.with?.['role-to-assume']).toBe('${{ vars.IMAGE_PUSH_ROLE_ARN }}');
    expect(creds?.with).not.toHaveProperty('aws-access-key-id');
    expect(push.steps.find((s) => s.run?.includes('docker push'))?.env).toEqual({ IMAGE: '${{ matrix.repository }}:${{ github.sha }}' });
  });
});
