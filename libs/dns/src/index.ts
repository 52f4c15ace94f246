export { LegacyCutoverDns, type LegacyCutoverDnsProps, type DnsHealthCheckOptions, type CutoverWeights } from './lib/legacy-cutover-dns';
