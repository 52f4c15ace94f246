/**
 * Every port of the operations workflows, built on one set of AWS clients (one region, one deadline): what the
 * command line hands to `@bluegreen/traffic`, `@bluegreen/state` and `@bluegreen/cutover`.
 */
import { awsDmsPort } from '@bluegreen/cutover';
import type { DmsPort } from '@bluegreen/cutover';
import type { StateObjectPort } from '@bluegreen/state';
import type { TrafficPorts } from '@bluegreen/traffic';
import { createAwsClients, type AwsClientOptions, type AwsClients } from './clients';
import { s3StatePort } from './state';
import { awsAlarmPort, awsListenerPort, awsMetricsPort, awsServicePort, awsTargetHealthPort, awsValidatorPort } from './traffic';

/** The traffic workflows' AWS ports (their outputs, clock and sleep come from elsewhere), plus state and DMS. */
export interface AwsPorts extends Omit<TrafficPorts, 'outputs' | 'now' | 'sleep' | 'dms'> {
  readonly clients: AwsClients;
  readonly state: StateObjectPort;
  readonly dms: DmsPort;
}

export function awsPorts(o: AwsClientOptions): AwsPorts {
  const clients = createAwsClients(o);
  return {
    clients,
    listener: awsListenerPort(clients),
    targetHealth: awsTargetHealthPort(clients),
    alarms: awsAlarmPort(clients),
    metrics: awsMetricsPort(clients),
    services: awsServicePort(clients),
    validator: awsValidatorPort(clients),
    state: s3StatePort(clients),
    // The cutover library's DMS adapter, on clients with this command's deadlines.
    dms: awsDmsPort({
      get dms() {
        return clients.dms;
      },
      get cloudwatch() {
        return clients.cloudwatch;
      },
    }),
  };
}
