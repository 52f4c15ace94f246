/** A v4 state shaped like the real stack's (cdktf resource names: `<top-level construct>_<path>_<hash>`). */
export function testStateDocument(serial: number, outputs: Record<string, unknown> = {}): string {
  const res = (type: string, name: string, attributes: Record<string, unknown>) => ({
    mode: 'managed',
    type,
    name,
    provider: 'provider["registry.terraform.io/hashicorp/aws"]',
    instances: [{ schema_version: 0, attributes, sensitive_attributes: [] }],
  });
  const tg = (c: string) => `arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/tg-${c}-dev/0123456789abcdef`;
  return JSON.stringify({
    version: 4,
    terraform_version: '1.11.4',
    serial,
    lineage: '5f0c3f1e-7c57-4e43-9a52-3f7a3c9d0001',
    outputs,
    resources: [
      res('aws_vpc', 'network_vpc_1A2B3C4D', { id: 'vpc-0abc', cidr_block: '10.10.0.0/16' }),
      res('aws_rds_cluster', 'database_cluster_0A1B2C3D', {
        id: 'aurora-blue-dev',
        cluster_identifier: 'aurora-blue-dev',
        endpoint: 'aurora-blue-dev.cluster-abc.us-east-1.rds.amazonaws.com',
        reader_endpoint: 'aurora-blue-dev.cluster-ro-abc.us-east-1.rds.amazonaws.com',
        engine: 'aurora-postgresql',
        engine_version: '15.10',
        master_password: 'never-printed-Secret-123',
      }),
      res('aws_rds_cluster_instance', 'database_writer_11111111', { identifier: 'aurora-blue-writer-dev', cluster_identifier: 'aurora-blue-dev' }),
      res('aws_rds_cluster', 'database-green_cluster_22222222', {
        id: 'aurora-green-dev',
        cluster_identifier: 'aurora-green-dev',
        endpoint: 'aurora-green-dev.cluster-abc.us-east-1.rds.amazonaws.com',
        engine: 'aurora-postgresql',
        engine_version: '16.6',
        engine_version_actual: '16.6',
      }),
      res('aws_rds_cluster_instance', 'database-green_writer_33333333', { identifier: 'aurora-green-writer-dev', cluster_identifier: 'aurora-green-dev' }),
      res('aws_lb_target_group', 'compute_tg-blue_44444444', { name: 'tg-blue-dev', arn: tg('blue') }),
      res('aws_lb_target_group', 'compute_tg-green_55555555', { name: 'tg-green-dev', arn: tg('green') }),
      res('aws_lb_listener', 'compute_https-listener_66666666', {
        port: 443,
        protocol: 'HTTPS',
        default_action: [{ type: 'forward', forward: [{ target_group: [{ arn: tg('blue'), weight: 90 }, { arn: tg('green'), weight: 10 }] }] }],
      }),
    ],
  });
}

