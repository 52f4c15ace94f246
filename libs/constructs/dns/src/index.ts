export { LegacyCutoverDns, type LegacyCutoverDnsProps, type DnsHealthCheckOptions, type CutoverWeights } from './lib/legacy-cutover-dns';
export { cutoverDnsPropsFromConfig, type CutoverDnsWiring } from './lib/from-config';
