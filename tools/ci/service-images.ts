/**
 * Which service images a push to main builds, and where each one goes: the service image projects
 * (`apps/services/<service>`, project `service-<service>`, with a `container` target) among the affected projects,
 * and for each, the environments whose config has that service, with that environment's ECR repository for it.
 *
 *   npx nx show projects --affected --withTarget container --json --base=$BASE --head=$HEAD \
 *     | npx tsx tools/ci/service-images.ts
 *
 * writes two job matrices to $GITHUB_OUTPUT (or stdout without it):
 *   builds={"include":[{"service":"catalog","project":"service-catalog"}]}
 *   pushes={"include":[{"service":"catalog","project":"service-catalog","environment":"dev","repository":"1111….amazonaws.com/ecr-catalog-dev"}]}
 *   any_build=true|false
 *   any_push=true|false
 * and a readable summary on stderr. Exit 0; 2 when it cannot decide (input not a list of project names, an
 * affected project with a container target that is not a service image project, an unknown service, an invalid
 * environment config); 64 on bad usage.
 *
 *   npx tsx tools/ci/service-images.ts --services payments,catalog   (or --services all): those, changed or not
 * (a service's first push, once an environment lists it, or a push to retry).
 *
 * A service is shipped by its image, tagged with the commit; which image a colour runs stays a reviewed config change.
 */
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadEnvironmentConfig, Naming } from '@bluegreen/config';
import { environmentConfigPath, listEnvironments } from '@bluegreen/contract';
import { imageRepositoryUrl } from '@bluegreen/ecs';
import { servicesFromConfig } from '@bluegreen/stack';

/** Where service image projects live: one folder per service, named after it. */
export const SERVICES_DIR = join('apps', 'services');

export interface ServiceImageProject {
  readonly service: string;
  readonly project: string;
  readonly root: string;
}

export interface ImagePush extends Omit<ServiceImageProject, 'root'> {
  readonly environment: string;
  readonly repository: string;
}

export interface ImagePlan {
  readonly builds: readonly Omit<ServiceImageProject, 'root'>[];
  readonly pushes: readonly ImagePush[];
  /** Affected service images no environment runs (built and checked, pushed nowhere). */
  readonly unused: readonly string[];
}

export class ImagePlanError extends Error {}

/** Every service image project of the workspace: `apps/services/<service>/project.json` named `service-<service>` with a `container` target. */
export function serviceImageProjects(root: string): ServiceImageProject[] {
  const dir = join(root, SERVICES_DIR);
  if (!existsSync(dir)) return [];
  const out: ServiceImageProject[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const file = join(dir, entry.name, 'project.json');
    if (!existsSync(file)) continue;
    const project = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; targets?: Record<string, unknown> };
    const expected = `service-${entry.name}`;
    if (project.name !== expected) throw new ImagePlanError(`${file}: a service image project must be named ${JSON.stringify(expected)} (service-<folder>), got ${JSON.stringify(project.name)}`);
    if (!project.targets?.['container']) throw new ImagePlanError(`${file}: a service image project needs a 'container' target (docker build of its image)`);
    out.push({ service: entry.name, project: expected, root: join(SERVICES_DIR, entry.name) });
  }
  return out;
}

/** The services each environment runs, and where their images go. */
export function environmentRepositories(root: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const env of listEnvironments(root)) {
    const config = loadEnvironmentConfig(environmentConfigPath(root, env));
    const naming = new Naming(config.environmentSuffix);
    out[env] = Object.fromEntries(servicesFromConfig(config, naming).map((s) => [s.settings.name, imageRepositoryUrl(naming, s.settings.name, config.accountId, config.region)]));
  }
  return out;
}

/** The plan for these affected projects (`nx show projects --affected --withTarget container --json`). */
export function imagePlan(affected: unknown, projects: readonly ServiceImageProject[], repositories: Record<string, Record<string, string>>): ImagePlan {
  if (!Array.isArray(affected) || affected.some((p) => typeof p !== 'string')) {
    throw new ImagePlanError(`affected projects: must be a JSON array of project names (nx show projects --json), got ${JSON.stringify(affected)?.slice(0, 80)}`);
  }
  const byProject = new Map(projects.map((p) => [p.project, p]));
  const strangers = (affected as string[]).filter((p) => !byProject.has(p));
  if (strangers.length > 0) {
    throw new ImagePlanError(`affected projects with a container target that are not service image projects (${SERVICES_DIR}/<service>, named service-<service>): ${strangers.join(', ')}`);
  }
  const builds = (affected as string[]).map((p) => byProject.get(p) as ServiceImageProject).sort((a, b) => a.service.localeCompare(b.service));
  const pushes: ImagePush[] = [];
  for (const b of builds) {
    for (const [environment, services] of Object.entries(repositories)) {
      const repository = services[b.service];
      if (repository) pushes.push({ service: b.service, project: b.project, environment, repository });
    }
  }
  const unused = builds.filter((b) => !pushes.some((p) => p.service === b.service)).map((b) => b.service);
  return { builds: builds.map(({ service, project }) => ({ service, project })), pushes, unused };
}

/** GitHub outputs: the two job matrices (`{"include": [...]}`) and whether each has anything to do. */
export function githubOutputs(plan: ImagePlan): string {
  return [
    `builds=${JSON.stringify({ include: plan.builds })}`,
    `pushes=${JSON.stringify({ include: plan.pushes })}`,
    `any_build=${plan.builds.length > 0}`,
    `any_push=${plan.pushes.length > 0}`,
    '',
  ].join('\n');
}

export function summary(plan: ImagePlan): string {
  if (plan.builds.length === 0) return 'service images: no service image project is affected; nothing to build';
  const lines = [`service images: build ${plan.builds.map((b) => b.service).join(', ')}`];
  for (const p of plan.pushes) lines.push(`  ${p.service} -> ${p.environment}: ${p.repository}`);
  for (const s of plan.unused) lines.push(`  ${s}: no environment lists this service yet; built and checked, pushed nowhere`);
  return lines.join('\n');
}

/** The projects of `--services all` or `--services a,b`; unknown names are refused with the ones there are. */
export function requestedProjects(services: string, projects: readonly ServiceImageProject[]): string[] {
  if (services === 'all') return projects.map((p) => p.project);
  const names = services.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !projects.some((p) => p.service === n));
  if (names.length === 0 || unknown.length > 0) {
    throw new ImagePlanError(`--services: unknown service(s) ${unknown.join(', ') || '(none given)'}; service image projects: ${projects.map((p) => p.service).join(', ')} (or all)`);
  }
  return projects.filter((p) => names.includes(p.service)).map((p) => p.project);
}

/** `input` is the affected projects' JSON (stdin); `services` (`--services`) replaces it when given. */
export function main(input: string, root: string, services?: string): number {
  try {
    const projects = serviceImageProjects(root);
    let affected: unknown;
    if (services !== undefined) {
      affected = requestedProjects(services, projects);
    } else {
      try {
        affected = JSON.parse(input);
      } catch {
        throw new ImagePlanError(`affected projects: not JSON (pipe in nx show projects --affected --withTarget container --json), got ${JSON.stringify(input.slice(0, 80))}`);
      }
    }
    const plan = imagePlan(affected, projects, environmentRepositories(root));
    const out = githubOutputs(plan);
    if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, out);
    process.stdout.write(out);
    process.stderr.write(`${summary(plan)}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`service-images: ${(err as Error).message}\n`);
    return 2;
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--services');
  if (args.length > 0 && (at !== 0 || args.length !== 2)) {
    process.stderr.write(`usage: service-images.ts [--services all|<service>,<service>]  (without it: the affected projects' JSON on stdin), got ${args.join(' ')}\n`);
    process.exitCode = 64;
  } else {
    const root = resolve(__dirname, '..', '..');
    process.exitCode = at === 0 ? main('', root, args[1]) : main(readFileSync(0, 'utf8'), root);
  }
}
