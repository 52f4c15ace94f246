import { list, strings, type Element } from '../elements';
import { defineRule } from '../rule';

const ANYWHERE = new Set(['0.0.0.0/0', '::/0']);
const ALB_PUBLIC_PORTS = new Set([80, 443]);

/** Why an ingress rule from the internet is refused, or undefined when it is one of the ALB's public ports. */
function openIngress(cidrs: readonly string[], protocol: unknown, fromPort: unknown, toPort: unknown): string | undefined {
  const open = cidrs.filter((c) => ANYWHERE.has(c));
  if (open.length === 0) return undefined;
  const allPorts = String(protocol) === '-1' || String(protocol) === 'all';
  const from = Number(fromPort);
  const to = Number(toPort);
  if (!allPorts && from === to && ALB_PUBLIC_PORTS.has(from)) return undefined;
  return `ingress from ${open.join(', ')} on ${allPorts ? 'all ports' : from === to ? `port ${from}` : `ports ${from}-${to}`}`;
}

export const BG012 = defineRule({
  id: 'BG012',
  title: 'Security groups admit the internet (0.0.0.0/0, ::/0) only on the ALB ports 80 and 443',
  severity: 'critical',
  refuses: 'ingress from 0.0.0.0/0 or ::/0 other than single ports 80/443',
  reads: '`aws_security_group` ingress, `aws_security_group_rule`, `aws_vpc_security_group_ingress_rule`',
  covers: ['CKV_AWS_24', 'CKV_AWS_25', 'CKV_AWS_260', 'CKV_AWS_277', 'AVD-AWS-0107', 'AVD-AWS-0102'],
  fix: 'narrow the ingress CIDR or reference a source security group',
  check({ ofType, report }) {
    const check = (el: Element, cidrs: string[], protocol: unknown, from: unknown, to: unknown) => {
      const problem = openIngress(cidrs, protocol, from, to);
      if (problem) report(el, problem);
    };
    for (const el of ofType('aws_security_group')) {
      for (const rule of list(el.body['ingress'])) {
        check(el, [...strings(rule['cidr_blocks']), ...strings(rule['ipv6_cidr_blocks'])], rule['protocol'], rule['from_port'], rule['to_port']);
      }
    }
    for (const el of ofType('aws_security_group_rule')) {
      if (el.body['type'] !== 'ingress') continue;
      check(el, [...strings(el.body['cidr_blocks']), ...strings(el.body['ipv6_cidr_blocks'])], el.body['protocol'], el.body['from_port'], el.body['to_port']);
    }
    for (const el of ofType('aws_vpc_security_group_ingress_rule')) {
      check(el, [...strings(el.body['cidr_ipv4']), ...strings(el.body['cidr_ipv6'])], el.body['ip_protocol'], el.body['from_port'], el.body['to_port']);
    }
  },
});
