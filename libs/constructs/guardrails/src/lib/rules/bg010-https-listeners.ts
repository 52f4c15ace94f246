import { first, isRef, list } from '../elements';
import { defineRule } from '../rule';

const TLS12_POLICY = /^ELBSecurityPolicy-(TLS13-|TLS-1-2-|FS-1-2-)/;

export const BG010 = defineRule({
  id: 'BG010',
  title: 'HTTPS-only listeners: an HTTP listener may only redirect to HTTPS; HTTPS listeners use a TLS 1.2+ policy',
  severity: 'critical',
  refuses:
    'an HTTP listener doing anything but one redirect to HTTPS (also rules on it); an HTTPS listener without a TLS 1.2+ policy (`ELBSecurityPolicy-TLS13-*`, `-TLS-1-2-*`, `-FS-1-2-*`)',
  reads: '`aws_lb_listener`, `aws_lb_listener_rule`',
  covers: ['CKV_AWS_2', 'CKV2_AWS_20', 'AVD-AWS-0054', 'CKV_AWS_103', 'CKV2_AWS_74', 'AVD-AWS-0047'],
  fix: 'make the HTTP listener a single `redirect` action to HTTPS (HTTP_301); give HTTPS listeners an ELBSecurityPolicy-TLS13-* policy',
  check({ ofType, report }) {
    const listenerProtocol = new Map<string, string>();
    for (const el of ofType('aws_lb_listener', 'aws_alb_listener')) {
      const protocol = String(el.body['protocol'] ?? 'HTTP');
      listenerProtocol.set(el.address, protocol);
      if (protocol === 'HTTP') {
        const actions = list(el.body['default_action']);
        const ok = actions.length === 1 && actions[0]['type'] === 'redirect' && first(actions[0]['redirect'])?.['protocol'] === 'HTTPS';
        if (!ok) report(el, `HTTP listener on port ${String(el.body['port'])} does something other than redirect to HTTPS`);
      } else if (protocol === 'HTTPS') {
        const policy = el.body['ssl_policy'];
        if (typeof policy !== 'string' || (!isRef(policy) && !TLS12_POLICY.test(policy))) {
          report(el, `HTTPS listener ssl_policy ${policy === undefined ? 'is not set (defaults to ELBSecurityPolicy-2016-08, TLS 1.0)' : `${String(policy)} allows TLS below 1.2`}`);
        }
      }
    }
    for (const el of ofType('aws_lb_listener_rule', 'aws_alb_listener_rule')) {
      const arn = String(el.body['listener_arn'] ?? '');
      const m = /\$\{((?:aws_lb_listener|aws_alb_listener)\.[^.}]+)\.arn\}/.exec(arn);
      if (m && listenerProtocol.get(m[1]) === 'HTTP') {
        const actions = list(el.body['action']);
        if (actions.some((a) => a['type'] !== 'redirect' || first(a['redirect'])?.['protocol'] !== 'HTTPS')) {
          report(el, 'a rule on an HTTP listener serves traffic instead of redirecting to HTTPS');
        }
      }
    }
  },
});
