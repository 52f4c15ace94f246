/**
 * Every port of the operations workflows, built on one set of AWS clients (one region, one deadline): what the
 * command line hands to `@bluegreen/traffic`, `@bluegreen/state` and `@bluegreen/cutover`.
 */
import { awsDmsPort } from '@bluegreen/cutover';
import type { DmsPort } from '@bluegreen/cutover';
import type { StateObjectPort } from '@bluegreen/state';
import type { AlarmPort, ListenerPort, MetricsPort, ServicePort, TargetHealthPort, ValidatorPort } from '@bluegreen/traffic';
import { createAwsClients, type AwsClientOptions, type AwsClients } from './clients';
import { s3StatePort } from './state';
import { awsAlarmPort, awsListenerPort, awsMetricsPort, awsServicePort, awsTargetHealthPort, awsValidatorPort } from './traffic';

export interface AwsPorts {
  readonly clients: AwsClients;
  readonly listener: ListenerPort;
  readonly targetHealth: TargetHealthPort;
  readonly alarms: AlarmPort;
  readonly metrics: MetricsPort;
  readonly services: ServicePort;
  readonly validator: ValidatorPort;
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
