import { DescribeServicesCommand, type ECSClient } from '@aws-sdk/client-ecs';

export interface ServiceStatus {
  readonly serviceName: string;
  readonly status: string;
  readonly desiredCount: number;
  readonly runningCount: number;
  readonly pendingCount: number;
  readonly taskDefinition?: string;
  /** The PRIMARY deployment's rollout state (COMPLETED, IN_PROGRESS, FAILED). */
  readonly rolloutState?: string;
}

/** DescribeServices for the given services of one cluster; missing services are reported with status MISSING. */
export async function describeServices(ecs: ECSClient, cluster: string, serviceNames: readonly string[]): Promise<ServiceStatus[]> {
  const res = await ecs.send(new DescribeServicesCommand({ cluster, services: [...serviceNames] }));
  return serviceNames.map((name) => {
    const s = res.services?.find((x) => x.serviceName === name);
    if (!s) return { serviceName: name, status: 'MISSING', desiredCount: 0, runningCount: 0, pendingCount: 0 };
    const primary = s.deployments?.find((d) => d.status === 'PRIMARY');
    return {
      serviceName: name,
      status: s.status ?? 'UNKNOWN',
      desiredCount: s.desiredCount ?? 0,
      runningCount: s.runningCount ?? 0,
      pendingCount: s.pendingCount ?? 0,
      taskDefinition: s.taskDefinition,
      rolloutState: primary?.rolloutState,
    };
  });
}
