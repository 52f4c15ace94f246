export { AuroraPostgresCluster, POSTGRES_PORT, type AuroraPostgresClusterProps } from './lib/aurora-postgres-cluster';
